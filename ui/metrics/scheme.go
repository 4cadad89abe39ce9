package metrics

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources/sanitize"
)

// Naming-scheme detection. The pane asks the backend which of the known
// schemes' probe series exist in the window, takes the first that has
// services under one of its service labels, and reads that scheme's
// templates, with the context's own templates on top. A context that
// names a scheme (metrics.scheme) or a service label only has the rest
// detected.

// detection is what detection found: the scheme, its service label and
// the services on it.
type detection struct {
	scheme   config.MetricsScheme
	label    string
	services []string
	found    bool // false: nothing known was found; the scheme is the fallback
}

// schemesMsg answers a detection.
type schemesMsg struct {
	pane string
	seq  int
	det  detection
	err  error
}

func (m schemesMsg) PaneID() string { return m.pane }

// detectCmd finds the scheme. want limits it to one scheme ("" for any)
// and label to one service label ("" for the scheme's candidates).
func detectCmd(ctx context.Context, r request, pane string, seq int, want, label string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, r.timeout)
		defer cancel()
		det, err := detect(ctx, r, want, label)
		return schemesMsg{pane: pane, seq: seq, det: det, err: err}
	}
}

func detect(ctx context.Context, r request, want, label string) (detection, error) {
	var cands []config.MetricsScheme
	for _, s := range config.MetricsSchemes() {
		if want == "" || s.Name == want {
			cands = append(cands, s)
		}
	}
	probes := make([]string, len(cands))
	for i, s := range cands {
		probes[i] = regexp.QuoteMeta(s.Probe)
	}
	present, _, err := r.src.LabelValues(ctx, "__name__", []string{`{__name__=~"` + strings.Join(probes, "|") + `"}`}, r.from, r.to)
	if err != nil {
		return detection{}, err
	}
	for _, s := range cands {
		if !slices.Contains(present, s.Probe) {
			continue
		}
		labels := s.Labels
		if label != "" {
			labels = []string{label}
		}
		for _, l := range labels {
			svcs, err := servicesOn(ctx, r, s.Probe, l)
			if err != nil {
				return detection{}, err
			}
			if len(svcs) > 0 {
				return detection{scheme: s, label: l, services: svcs, found: true}, nil
			}
		}
	}
	// Nothing known: the classic names, so the pane can say which metric
	// it looked for.
	fallback := config.MetricsSchemes()[0]
	if len(cands) == 1 {
		fallback = cands[0]
	}
	l := label
	if l == "" {
		l = fallback.Labels[0]
	}
	svcs, err := servicesOn(ctx, r, "", l)
	return detection{scheme: fallback, label: l, services: svcs}, err
}

// servicesOn lists the values of label on the series named probe,
// sanitized, sorted and unique.
func servicesOn(ctx context.Context, r request, probe, label string) ([]string, error) {
	var matchers []string
	if probe != "" {
		matchers = []string{fmt.Sprintf("{__name__=%q}", probe)}
	}
	vals, _, err := r.src.LabelValues(ctx, label, matchers, r.from, r.to)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if v = sanitize.Line(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// schemeLabel says which scheme the charts read and where it came from,
// for the readout line.
func (m *Model) schemeLabel() string {
	if m.scheme.Name == "" {
		return ""
	}
	how := "detected"
	switch {
	case m.schemeFixed:
		how = "metrics.scheme"
	case !m.detected:
		how = "none detected"
	}
	s := m.scheme.Name + " names by " + m.label + " (" + how
	if len(m.overrides) > 0 {
		return s + "; config overrides " + strings.Join(m.overrides, ", ") + ")"
	}
	return s + "; config templates override)"
}
