package sources

import (
	"slices"
	"sort"
)

// MergedAlert is one alert as every backend that reported it holds it.
type MergedAlert struct {
	// Alert is the first copy: Prometheus's when the batches put
	// Prometheus first, since it has the value and the pending state.
	Alert
	// From lists the Source of every copy, each once, first seen first.
	From []string
	// Suppressed is set when an Alertmanager copy is suppressed (silenced
	// or inhibited), whatever the first copy says.
	Suppressed bool
}

// MergeAlerts joins batches (one per backend) into one alert per
// fingerprint, in the order each was first seen. Alerts without a
// fingerprint are never joined.
func MergeAlerts(batches [][]Alert) []MergedAlert {
	byFP := map[string]int{}
	var out []MergedAlert
	for _, batch := range batches {
		for _, a := range batch {
			suppressed := a.Source == "alertmanager" && a.State == "suppressed"
			if i, ok := byFP[a.Fingerprint]; ok && a.Fingerprint != "" {
				if !slices.Contains(out[i].From, a.Source) {
					out[i].From = append(out[i].From, a.Source)
				}
				out[i].Suppressed = out[i].Suppressed || suppressed
				continue
			}
			byFP[a.Fingerprint] = len(out)
			out = append(out, MergedAlert{Alert: a, From: []string{a.Source}, Suppressed: suppressed})
		}
	}
	return out
}

// SortNewestFirst orders alerts by ActiveAt, the most recent first;
// alerts that became active at the same moment keep their order.
func SortNewestFirst(alerts []Alert) {
	sort.SliceStable(alerts, func(i, j int) bool { return alerts[i].ActiveAt.After(alerts[j].ActiveAt) })
}
