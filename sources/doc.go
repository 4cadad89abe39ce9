// Package sources holds the domain types every backend client returns and the
// typed errors they fail with. Higher layers (correlate, slo, incidents, ui)
// see only these types, never a backend's wire format.
package sources
