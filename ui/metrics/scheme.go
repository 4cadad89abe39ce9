package metrics

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Naming-scheme detection. The pane asks the backend which of the known
// schemes' probe series exist in the window and, for each, which of its
// service labels names services. A service takes the first scheme (in
// MetricsSchemes order) it was found under, so one backend holding
// several namings (an Istio mesh and apps' own metrics, a gRPC fleet
// beside an HTTP one) still shows every service with the right queries.
// The context's own templates go on top. A context that names a scheme
// (metrics.scheme) or a service label (metrics.service_label) has only
// the rest detected.

// naming is one scheme read by one service label.
type naming struct {
	scheme config.MetricsScheme
	label  string
}

// detection is what detection found: the services and the naming each
// is under.
type detection struct {
	services  []string
	byService map[string]naming
	// fallback reads services found under no known scheme.
	fallback naming
}

// schemesMsg answers a detection.
type schemesMsg = pane.Result[detection]

// detectFn finds the namings. want limits it to one scheme ("" for any)
// and label to one service label ("" for each scheme's candidates).
func detectFn(r request, want, label string) func(context.Context) (detection, error) {
	return func(ctx context.Context) (detection, error) { return detect(ctx, r, want, label) }
}

func detect(ctx context.Context, r request, want, label string) (detection, error) {
	var cands []config.MetricsScheme
	for _, s := range config.MetricsSchemes() {
		if want == "" || s.Name == want {
			cands = append(cands, s)
		}
	}
	det := detection{byService: map[string]naming{}, fallback: naming{scheme: cands[0], label: label}}
	if label == "" {
		det.fallback.label = cands[0].Labels[0]
	}
	probes := make([]string, len(cands))
	for i, s := range cands {
		probes[i] = regexp.QuoteMeta(s.Probe)
	}
	present, _, err := r.src.LabelValues(ctx, "__name__", []string{`{__name__=~"` + strings.Join(probes, "|") + `"}`}, r.from, r.to)
	if err != nil {
		return det, err
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
				return det, err
			}
			if len(svcs) == 0 {
				continue
			}
			for _, v := range svcs {
				if _, ok := det.byService[v]; !ok {
					det.byService[v] = naming{scheme: s, label: l}
					det.services = append(det.services, v)
				}
			}
			break
		}
	}
	if len(det.services) == 0 {
		// Nothing known: every value of the fallback's label, read with
		// the classic names, so the pane can say which metric it missed.
		det.services, err = servicesOn(ctx, r, "", det.fallback.label)
	}
	slices.Sort(det.services)
	return det, err
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
