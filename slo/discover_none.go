package slo

import (
	"context"
	"fmt"
	"strings"
)

// Searched says where reltui looked for SLOs, so that "none found" can
// say what was searched and how to add one.
type Searched struct {
	// ConfigFile and Context are the config file and context read; empty
	// without a config file.
	ConfigFile, Context string
	// Files are the spec files named by slo_files or --file.
	Files []string
	// Rules is the Prometheus whose rules API was searched for Sloth and
	// Pyrra rules; empty when it was not searched.
	Rules string
	// DiscoveryOff is set when slo_discovery: false turned the search off.
	DiscoveryOff bool
	// DiscoveryErr is why the rules API could not be read.
	DiscoveryErr error
	// Notes are generator rule groups found but not usable, and why.
	Notes []string
}

// NoneFound is the text shown when no SLO was found anywhere: that there
// are none, what was searched, and how to add one.
func (s Searched) NoneFound() []string {
	out := []string{"No SLOs found. reltui looked in:"}
	if s.ConfigFile != "" {
		out = append(out, fmt.Sprintf("  - slos: and slo_files: of context %q in %s: none", s.Context, s.ConfigFile))
	} else {
		out = append(out, "  - a config file: none was found (RELTUI_CONFIG or --config)")
	}
	for _, f := range s.Files {
		out = append(out, "  - "+f+": no SLOs")
	}
	switch {
	case s.DiscoveryOff:
		out = append(out, "  - Prometheus rules: not searched (slo_discovery: false)")
	case s.Rules == "":
		out = append(out, "  - Prometheus rules: not searched (the context has no prometheus:)")
	case s.DiscoveryErr != nil:
		out = append(out, fmt.Sprintf("  - Prometheus rules at %s: could not be read: %v", s.Rules, s.DiscoveryErr))
	default:
		out = append(out, fmt.Sprintf("  - Prometheus rules at %s:", s.Rules),
			"    no Sloth rules (slo:sli_error:ratio_rate*) and no Pyrra rules (*:burnrate*)")
	}
	for _, n := range s.Notes {
		out = append(out, "    "+n)
	}
	return append(out,
		"To add one, either:",
		"  - load the rules Sloth or Pyrra generate into Prometheus (no config needed)",
		"  - or list specs in the context: slos: (inline) or slo_files: (Sloth, Pyrra,",
		"    OpenSLO); see the README's SLOs section.",
		"`reltui slo --file SPEC` judges a spec without configuring it.")
}

// Gather is the SLOs of one context: the configured ones, then those
// Discover finds in rl (nil to skip), each configured SLO winning over a
// discovered one of the same name. The exclusions ex apply to the
// discovered ones (config.SLOSpecs has already given the configured ones
// theirs).
// A rules API that cannot be read is reported in the Searched, not as an
// error: the configured SLOs are still worth showing.
func Gather(ctx context.Context, configured []SLO, rl RuleLister, ex []Exclusion, searched Searched) ([]SLO, Searched) {
	out := append([]SLO(nil), configured...)
	if rl != nil {
		found, notes, err := Discover(ctx, rl)
		searched.Notes = append(searched.Notes, notes...)
		if err != nil {
			searched.DiscoveryErr = err
		}
		have := map[string]bool{}
		for _, s := range configured {
			have[s.Name] = true
		}
		for _, s := range ApplyExclusions(found, ex) {
			if have[s.Name] {
				searched.Notes = append(searched.Notes, fmt.Sprintf("%s SLO %s: the configured SLO of that name is used instead", strings.TrimSuffix(string(s.Source), " rules"), s.Name))
				continue
			}
			out = append(out, s)
		}
	}
	return out, searched
}
