package alerts

import (
	"slices"
	"strings"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// item is one alert on screen: an alert seen by one or both backends.
type item struct {
	a sources.Alert
	// from lists the backends that reported it.
	from []string
	// state is what to show: firing, pending or suppressed.
	state string
	rank  int
}

// merge joins the backends' alerts by fingerprint with
// sources.MergeAlerts (Prometheus's copy wins: it has the value and the
// pending state), sanitizes what will be shown, and sorts by severity,
// then firing before pending, then the longest-firing first.
func merge(batches [][]sources.Alert) []item {
	cleaned := make([][]sources.Alert, len(batches))
	for i, batch := range batches {
		cleaned[i] = make([]sources.Alert, len(batch))
		for j, a := range batch {
			cleaned[i][j] = clean(a)
		}
	}
	merged := sources.MergeAlerts(cleaned)
	out := make([]item, len(merged))
	for i, ma := range merged {
		state := displayState(ma.State)
		if ma.Suppressed {
			state = "suppressed"
		}
		out[i] = item{a: ma.Alert, from: ma.From, state: state, rank: severityRank(ma.Labels["severity"])}
	}
	slices.SortStableFunc(out, func(x, y item) int {
		if x.rank != y.rank {
			return x.rank - y.rank
		}
		if sx, sy := stateRank(x.state), stateRank(y.state); sx != sy {
			return sx - sy
		}
		if c := x.a.ActiveAt.Compare(y.a.ActiveAt); c != 0 {
			return c
		}
		return strings.Compare(x.a.Name, y.a.Name)
	})
	return out
}

// clean sanitizes every string of a; the clients already do, but the pane
// does not rely on every future Source remembering to.
func clean(a sources.Alert) sources.Alert {
	cp := func(m map[string]string) map[string]string {
		out := make(map[string]string, len(m))
		for k, v := range m {
			out[sanitize.Line(k)] = sanitize.Line(v)
		}
		return out
	}
	a.Name, a.State, a.Value = sanitize.Line(a.Name), sanitize.Line(a.State), sanitize.Line(a.Value)
	a.Fingerprint, a.Source = sanitize.Line(a.Fingerprint), sanitize.Line(a.Source)
	a.Labels, a.Annotations = cp(a.Labels), cp(a.Annotations)
	return a
}

// displayState maps Alertmanager's "active" to firing, as a person reads it.
func displayState(s string) string {
	switch s {
	case "active", "":
		return "firing"
	}
	return s
}

func stateRank(s string) int {
	switch s {
	case "firing":
		return 0
	case "pending":
		return 1
	}
	return 2
}

// severityRank orders the common severity label values, worst first.
func severityRank(s string) int {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical", "page", "p1", "sev1", "sev2":
		return 0
	case "error", "high", "p2", "sev3":
		return 1
	case "warning", "warn", "p3":
		return 2
	case "info", "low", "p4", "sev4", "sev5":
		return 3
	}
	return 4
}

// matches reports whether the alert's name, or one of its labels or
// annotations as key=value, passes match (the text filter's).
func (it item) matches(match func(string) bool) bool {
	if match(it.a.Name) {
		return true
	}
	for _, m := range []map[string]string{it.a.Labels, it.a.Annotations} {
		for k, v := range m {
			if match(k + "=" + v) {
				return true
			}
		}
	}
	return false
}
