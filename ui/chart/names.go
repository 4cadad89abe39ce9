package chart

import (
	"sort"
	"strings"
)

// SeriesNames names each series of a result by the labels whose values
// differ across it, "k=v,k=v" (the metric name bare), leaving out skip (a
// label known to be the same everywhere, such as the service). A lone
// series shows its metric name; one with nothing to show takes the
// fallback, lower-cased. The Metrics pane and the Logs pane's charts name
// their legends with it.
func SeriesNames(ls []map[string]string, skip, fallback string) []string {
	vary := map[string]bool{}
	for k := range unionKeys(ls) {
		if k == skip {
			continue
		}
		first, all := "", true
		for i, l := range ls {
			if i == 0 {
				first = l[k]
			} else if l[k] != first {
				all = false
				break
			}
		}
		if !all || (len(ls) == 1 && k == "__name__") {
			vary[k] = true
		}
	}
	keys := make([]string, 0, len(vary))
	for k := range vary {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(ls))
	for i, l := range ls {
		var parts []string
		for _, k := range keys {
			if k == "__name__" {
				parts = append(parts, l[k])
				continue
			}
			parts = append(parts, k+"="+l[k])
		}
		out[i] = strings.Join(parts, ",")
		if out[i] == "" {
			out[i] = strings.ToLower(fallback)
		}
	}
	return out
}

func unionKeys(ls []map[string]string) map[string]bool {
	u := map[string]bool{}
	for _, l := range ls {
		for k := range l {
			u[k] = true
		}
	}
	return u
}
