package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

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
	ps = append(ps, f.validateExclusions(key, c)...)
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
		for i := range s {
			s[i].Source, s[i].SourceDetail = slo.SourceConfig, configFile
		}
		slos = append(slos, s...)
	}
	for _, p := range c.SLOFiles {
		s, err := readSpecFile(p)
		if err != nil {
			return nil, true, err
		}
		for i := range s {
			s[i].Source, s[i].SourceDetail = slo.SourceFile, p
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
	return slo.ApplyExclusions(slos, c.Exclusions()), true, nil
}

// SLOExclusion is one slo_exclude entry: a period left out of SLO
// budgets, e.g.
//
//	slo_exclude:
//	  - from: 2026-03-01T02:00:00Z
//	    to: 2026-03-01T03:30:00Z
//	    slo: api-availability        # omit for every SLO
//	    kind: maintenance            # or drill
//	    reason: database failover drill
type SLOExclusion struct {
	SLO    string `yaml:"slo"`
	From   string `yaml:"from"`
	To     string `yaml:"to"`
	Kind   string `yaml:"kind"`
	Reason string `yaml:"reason"`
}

// exclusionKinds are the kinds an slo_exclude entry may name.
var exclusionKinds = []string{"", "maintenance", "drill"}

func (e SLOExclusion) times() (from, to time.Time, err error) {
	if from, err = time.Parse(time.RFC3339, e.From); err != nil {
		return from, to, fmt.Errorf("from: %q is not an RFC 3339 time such as 2026-03-01T02:00:00Z", e.From)
	}
	if to, err = time.Parse(time.RFC3339, e.To); err != nil {
		return from, to, fmt.Errorf("to: %q is not an RFC 3339 time such as 2026-03-01T03:30:00Z", e.To)
	}
	if !to.After(from) {
		return from, to, fmt.Errorf("to (%s) must be after from (%s)", e.To, e.From)
	}
	return from, to, nil
}

func (f *File) validateExclusions(key string, c *Context) []Problem {
	var ps []Problem
	for i, e := range c.SLOExclude {
		k := fmt.Sprintf("%s.slo_exclude[%d]", key, i)
		if _, _, err := e.times(); err != nil {
			ps = append(ps, f.exclusionProblem(key, k, err.Error()))
		}
		kind := strings.ToLower(e.Kind)
		found := false
		for _, x := range exclusionKinds {
			found = found || x == kind
		}
		if !found {
			ps = append(ps, f.exclusionProblem(key, k, fmt.Sprintf("kind: %q is not maintenance or drill", e.Kind)))
		}
	}
	return ps
}

func (f *File) exclusionProblem(key, k, msg string) Problem {
	p := f.problem(k, "%s", msg)
	if p.Line == 0 {
		p.Line, p.Column = f.pos.at(key + ".slo_exclude")
	}
	return p
}

// Exclusions returns the context's slo_exclude entries that are valid.
func (c *Context) Exclusions() []slo.Exclusion {
	var out []slo.Exclusion
	for _, e := range c.SLOExclude {
		from, to, err := e.times()
		if err != nil {
			continue
		}
		out = append(out, slo.Exclusion{SLO: e.SLO, From: from, To: to, Kind: strings.ToLower(e.Kind), Reason: e.Reason})
	}
	return out
}

// DiscoverSLOs reports whether reltui should look for Sloth and Pyrra
// SLOs in the context's Prometheus rules (slo_discovery, default true).
func (c *Context) DiscoverSLOs() bool {
	return c.Prometheus != nil && (c.SLODiscovery == nil || *c.SLODiscovery)
}
