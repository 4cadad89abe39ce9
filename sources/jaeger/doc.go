// Package jaeger reads traces from a Jaeger query service over its api_v2
// gRPC QueryService (port 16685 by default), the API both Jaeger v1 and v2
// serve. It turns the wire model into sources.Trace, sanitizing every string
// that came from the backend, caps how many spans one answer may hold, and
// maps gRPC status codes onto sources.Kind so callers never see gRPC types.
//
// Every call runs under a resilience.Guard: a per-attempt timeout, bounded
// retries for these idempotent reads, and a circuit breaker.
package jaeger
