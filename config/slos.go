package config

import "gopkg.in/yaml.v3"

// RawYAML keeps a subtree as written, for a package with its own strict
// reader (the inline SLO list is read by package slo).
type RawYAML struct {
	Node *yaml.Node
}

// IsZero reports whether the key was absent.
func (r RawYAML) IsZero() bool { return r.Node == nil }

func (f *File) validateSLOs(key string, c *Context) []Problem { return nil }
