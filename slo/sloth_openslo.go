package slo

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// OpenSLOAlphaVersion is the OpenSLO draft Sloth reads SLOs from.
const OpenSLOAlphaVersion = "openslo/v1alpha"

// slothOpenSLO reads an openslo/v1alpha kind: SLO document the way Sloth
// does: every objective is a ratioMetrics of good over total with
// source prometheus (or sloth) and queryType promql, and becomes an SLO
// named metadata.name-<index>, the name Sloth's rules carry. The window is
// a count of days (timeWindows[0].unit Day), 30 days when absent.
func (w *walker) slothOpenSLO(doc *yaml.Node, m map[string]*yaml.Node, prefix string) []SLO {
	before := len(w.errs)
	kf := join(prefix, "kind")
	if k, ok := w.str(m["kind"], kf); ok && k != "SLO" {
		w.fail(m["kind"], kf, "Sloth reads kind SLO from %s files, got %q", OpenSLOAlphaVersion, k)
		return nil
	}
	base := SLO{Window: DefaultWindow}
	if md, ok := w.mapping(m["metadata"], join(prefix, "metadata"), nil); ok {
		base.Name = w.reqStr(md, m["metadata"], "name", join(prefix, "metadata"))
	}
	sf := join(prefix, "spec")
	spec, ok := w.mapping(m["spec"], sf, nil)
	if !ok {
		return nil
	}
	base.Service = w.optStr(spec, "service", sf)
	base.Description = w.optStr(spec, "description", sf)
	if v, present := spec["budgetingMethod"]; present {
		if bm, ok := w.str(v, join(sf, "budgetingMethod")); ok && bm != "Occurrences" {
			w.fail(v, join(sf, "budgetingMethod"), "Sloth reads Occurrences budgets only, got %q", bm)
		}
	}
	if v, present := spec["timeWindows"]; present {
		base.Window = w.alphaWindow(v, join(sf, "timeWindows"))
	}
	of := join(sf, "objectives")
	list, present := spec["objectives"]
	if !present {
		w.fail(m["spec"], of, "is required: at least one objective")
		return nil
	}
	objs, ok := w.sequence(list, of)
	if !ok {
		return nil
	}
	if len(objs) == 0 {
		w.fail(list, of, "is empty: at least one objective is required")
	}
	var out []SLO
	for i, o := range objs {
		f := index(of, i)
		om, ok := w.mapping(o, f, nil)
		if !ok {
			continue
		}
		s := base
		s.Name = fmt.Sprintf("%s-%d", base.Name, i)
		if t, present := om["target"]; !present {
			w.fail(o, join(f, "target"), "is required (a ratio such as 0.999)")
		} else if v, ok := w.number(t, join(f, "target")); ok {
			if !(v > 0 && v < 1) {
				w.fail(t, join(f, "target"), "must be between 0 and 1 (exclusive), got %s", formatNumber(v))
			}
			s.Objective = v
		}
		rf := join(f, "ratioMetrics")
		rn, present := om["ratioMetrics"]
		if !present {
			w.fail(o, rf, "is required: Sloth reads good/total ratio metrics only")
			continue
		}
		rm, ok := w.mapping(rn, rf, nil)
		if !ok {
			continue
		}
		e := &EventRatioSLI{}
		for _, k := range []struct {
			key string
			dst *string
		}{{"good", &e.Good}, {"total", &e.Total}} {
			v, present := rm[k.key]
			if !present {
				w.fail(rn, join(rf, k.key), "is required")
				continue
			}
			*k.dst, _ = w.alphaQuery(v, join(rf, k.key))
		}
		s.SLI = SLI{Kind: KindEventRatio, Events: e}
		out = append(out, s)
	}
	if len(w.errs) != before {
		return nil
	}
	return out
}

// alphaQuery reads {source, queryType, query}.
func (w *walker) alphaQuery(n *yaml.Node, field string) (string, bool) {
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return "", false
	}
	if src, ok := w.str(m["source"], join(field, "source")); ok && src != "prometheus" && src != "sloth" {
		w.fail(m["source"], join(field, "source"), "must be prometheus (the source Sloth reads), got %q", src)
		return "", false
	} else if !ok {
		return "", false
	}
	if qt, ok := w.str(m["queryType"], join(field, "queryType")); ok && qt != "promql" {
		w.fail(m["queryType"], join(field, "queryType"), "must be promql, got %q", qt)
		return "", false
	} else if !ok {
		return "", false
	}
	return w.windowQuery(m["query"], join(field, "query"))
}

// alphaWindow reads the one-item timeWindows list: a count of days.
func (w *walker) alphaWindow(n *yaml.Node, field string) time.Duration {
	items, ok := w.sequence(n, field)
	if !ok {
		return 0
	}
	if len(items) != 1 {
		w.fail(n, field, "Sloth reads exactly one time window, got %d", len(items))
		return 0
	}
	f := index(field, 0)
	m, ok := w.mapping(items[0], f, nil)
	if !ok {
		return 0
	}
	if u, ok := w.str(m["unit"], join(f, "unit")); !ok {
		return 0
	} else if !strings.EqualFold(u, "day") {
		w.fail(m["unit"], join(f, "unit"), "Sloth reads day-based windows only (unit: Day), got %q", u)
		return 0
	}
	c, ok := w.number(m["count"], join(f, "count"))
	if !ok {
		return 0
	}
	d := time.Duration(c) * Day
	if c != float64(int64(c)) || c > 366 || !windowAllowed(d) {
		w.fail(m["count"], join(f, "count"), "window must be a whole number of days from 1 to 366, got %s", formatNumber(c))
		return 0
	}
	return d
}
