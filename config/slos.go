package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/slo"
)

// RawYAML keeps a subtree as written, for a package with its own strict
// reader (the inline SLO list is read by package slo).
type RawYAML struct {
	Node *yaml.Node
}

// IsZero reports whether the key was absent.
func (r RawYAML) IsZero() bool { return r.Node == nil }

// maxSpecSize bounds an SLO spec file; specs are a few kilobytes.
const maxSpecSize = 1 << 20

// validateSLOs reads the inline slos: list and every slo_files entry with
// package slo's strict readers, so a malformed spec fails `config check`
// and startup with its file, line, column and field. Relative slo_files are
// made absolute against the config file's directory here, so later reads
// (SLOSpecs) do not depend on the working directory.
func (f *File) validateSLOs(key string, c *Context) []Problem {
	var ps []Problem
	if !c.SLOs.IsZero() {
		if _, err := slo.DecodeInline(f.where(), c.SLOs.Node, key+".slos"); err != nil {
			ps = append(ps, specProblems(f.where(), key+".slos", err)...)
		}
	}
	for i, p := range c.SLOFiles {
		k := fmt.Sprintf("%s.slo_files[%d]", key, i)
		if p == "" {
			ps = append(ps, f.problem(key+".slo_files", "slo_files[%d] is empty", i))
			continue
		}
		if !filepath.IsAbs(p) && f.Path != "" {
			p = filepath.Join(filepath.Dir(f.Path), p)
			c.SLOFiles[i] = p
		}
		if _, err := readSpecFile(p); err != nil {
			var fe slo.SpecErrors
			if errors.As(err, &fe) {
				ps = append(ps, specProblems(p, "", err)...)
				continue
			}
			p := f.problem(k, "%v", err)
			if p.Line == 0 {
				// List items have no recorded position; point at the list.
				p.Line, p.Column = f.pos.at(key + ".slo_files")
			}
			ps = append(ps, p)
		}
	}
	return ps
}

func readSpecFile(path string) ([]slo.SLO, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("cannot read SLO spec: %w", err)
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory, not an SLO spec file", path)
	case info.Size() > maxSpecSize:
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", path, info.Size(), maxSpecSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read SLO spec: %w", err)
	}
	return slo.ReadSpec(path, data)
}

// specProblems turns package slo's field errors into config problems.
func specProblems(file, key string, err error) []Problem {
	var es slo.SpecErrors
	if !errors.As(err, &es) {
		var fe *slo.FieldError
		if !errors.As(err, &fe) {
			return []Problem{{File: file, Key: key, Msg: err.Error()}}
		}
		es = slo.SpecErrors{fe}
	}
	ps := make([]Problem, len(es))
	for i, e := range es {
		ps[i] = Problem{File: e.File, Line: e.Line, Column: e.Column, Key: e.Field, Msg: e.Msg}
	}
	return ps
}

// SLOSpecs returns the context's SLOs: the inline list, then each of
// slo_files in order. It reads the files again (they may have changed
// since the config was loaded). ok is false when the context configures
// no SLOs at all, so the caller can fall back to its defaults.
func (c *Context) SLOSpecs(configFile string) (slos []slo.SLO, ok bool, err error) {
	if c.SLOs.IsZero() && len(c.SLOFiles) == 0 {
		return nil, false, nil
	}
	if !c.SLOs.IsZero() {
		s, err := slo.DecodeInline(configFile, c.SLOs.Node, "slos")
		if err != nil {
			return nil, true, err
		}
		slos = append(slos, s...)
	}
	for _, p := range c.SLOFiles {
		s, err := readSpecFile(p)
		if err != nil {
			return nil, true, err
		}
		slos = append(slos, s...)
	}
	seen := map[string]bool{}
	for _, s := range slos {
		if seen[s.Name] {
			return nil, true, fmt.Errorf("two SLOs are named %q (slos: and slo_files: together must use distinct names)", s.Name)
		}
		seen[s.Name] = true
	}
	return slos, true, nil
}
