package slo

import (
	"fmt"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// Pyrra's manifest, as its Kubernetes operator and filesystem mode read it.
const (
	// PyrraAPIVersion is the apiVersion of Pyrra's SLO manifests.
	PyrraAPIVersion = "pyrra.dev/v1alpha1"
	// PyrraKind is the kind of a Pyrra SLO manifest.
	PyrraKind = "ServiceLevelObjective"
)

// ReadPyrra reads Pyrra ServiceLevelObjective manifests (one or several
// YAML documents) into SLOs. Each indicator becomes the ratio Pyrra's own
// rules compute, written as {{.window}} templates over the metric
// selectors of the manifest:
//
//   - ratio: sum(rate(errors)) / sum(rate(total)), errors 0 when the
//     errors selector matches no series yet;
//   - latency: 1 - sum(rate(success bucket)) / sum(rate(total count));
//   - latencyNative: 1 - the share of a native histogram at or below
//     latency (histogram_fraction);
//   - bool_gauge: 1 - sum_over_time(gauge) / count_over_time(gauge), so
//     every sample at 1 is good.
//
// grouping is read but not applied: reltui shows one SLO over all groups.
// target is a percent, window a Prometheus duration (4w, 2w, 7d). The
// alerting section is ignored: reltui computes the workbook's alert
// conditions itself.
func ReadPyrra(file string, data []byte) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	if len(docs) == 0 && len(w.errs) == 0 {
		w.fail(nil, "apiVersion", "the file is empty; expected a %s %s", PyrraAPIVersion, PyrraKind)
	}
	var set sloSet
	for _, d := range docs {
		if s, ok := w.pyrraSLO(d.node, d.field); ok && !set.add(s.Labels["namespace"]+"/"+s.Name, s) {
			w.fail(d.node, join(d.field, "metadata.name"), "another ServiceLevelObjective is already named %q", s.Name)
		}
	}
	return set.result(w)
}

func (w *walker) pyrraSLO(doc *yaml.Node, prefix string) (SLO, bool) {
	before := len(w.errs)
	m, ok := w.mapping(doc, prefix, nil)
	if !ok {
		return SLO{}, false
	}
	if !w.exact(m, "apiVersion", prefix, PyrraAPIVersion) || !w.exact(m, "kind", prefix, PyrraKind) {
		return SLO{}, false
	}
	s := SLO{}
	mf := join(prefix, "metadata")
	if md, ok := w.mapping(m["metadata"], mf, nil); ok {
		s.Name = w.reqStr(md, m["metadata"], "name", mf)
		s.Labels = w.labels(md["labels"], join(mf, "labels"))
		if v, present := md["namespace"]; present {
			if ns, ok := w.str(v, join(mf, "namespace")); ok && ns != "" {
				if s.Labels == nil {
					s.Labels = map[string]string{}
				}
				s.Labels["namespace"] = ns // Pyrra's rules carry it, so it names the SLO
			}
		}
	}
	sf := join(prefix, "spec")
	spec, ok := w.mapping(m["spec"], sf, nil)
	if !ok {
		return SLO{}, false
	}
	s.Description = w.optStr(spec, "description", sf)
	if v, present := spec["target"]; present {
		s.Objective, _ = w.percentObjective(v, join(sf, "target"))
	} else {
		w.fail(m["spec"], join(sf, "target"), "is required (a percent such as \"99.9\")")
	}
	if v, present := spec["window"]; present {
		s.Window, _ = w.anyWindow(v, join(sf, "window"))
	} else {
		w.fail(m["spec"], join(sf, "window"), "is required (such as 4w)")
	}
	if v, present := spec["indicator"]; present {
		s.SLI = w.pyrraIndicator(v, join(sf, "indicator"))
	} else {
		w.fail(m["spec"], join(sf, "indicator"), "is required (ratio, latency, latencyNative or bool_gauge)")
	}
	return s, len(w.errs) == before
}

var pyrraIndicators = []string{"ratio", "latency", "latencyNative", "bool_gauge"}

func (w *walker) pyrraIndicator(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return SLI{}
	}
	var kind string
	for _, k := range pyrraIndicators {
		if _, present := m[k]; present {
			if kind != "" {
				w.fail(m[k], join(field, k), "cannot be used together with %s", kind)
				return SLI{}
			}
			kind = k
		}
	}
	if kind == "" {
		w.fail(n, field, "needs one of %s", strings.Join(pyrraIndicators, ", "))
		return SLI{}
	}
	f := join(field, kind)
	im, ok := w.mapping(m[kind], f, nil)
	if !ok {
		return SLI{}
	}
	if g, present := im["grouping"]; present && !isNull(g) {
		if items, ok := w.sequence(g, join(f, "grouping")); ok {
			for i, item := range items {
				w.str(item, index(join(f, "grouping"), i))
			}
		}
	}
	switch kind {
	case "ratio", "latency":
		// ratio counts errors, latency counts successes (a histogram
		// bucket), each over the total.
		key, e := "errors", &EventRatioSLI{}
		part := &e.Bad
		if kind == "latency" {
			key, part = "success", &e.Good
		}
		num, ok1 := w.pyrraMetric(im, m[kind], f, key)
		total, ok2 := w.pyrraMetric(im, m[kind], f, "total")
		if !ok1 || !ok2 {
			return SLI{}
		}
		*part = fmt.Sprintf("sum(rate(%s[{{.window}}]))", num)
		if kind == "ratio" {
			// No error series yet means no errors, as Pyrra's own budget
			// query reads it, not "no data".
			*part += " or vector(0)"
		}
		e.Total = fmt.Sprintf("sum(rate(%s[{{.window}}]))", total)
		return SLI{Kind: KindEventRatio, Events: e}
	case "latencyNative":
		total, ok := w.pyrraMetric(im, m[kind], f, "total")
		lf := join(f, "latency")
		ln, present := im["latency"]
		if !present {
			w.fail(m[kind], lf, "is required: the latency a good request is at or below, such as 200ms")
			return SLI{}
		}
		lat, lok := w.duration(ln, lf)
		if lok && lat <= 0 {
			w.fail(ln, lf, "must be above zero")
			lok = false
		}
		if !ok || !lok {
			return SLI{}
		}
		hist := fmt.Sprintf("sum(rate(%s[{{.window}}]))", total)
		return SLI{Kind: KindEventRatio, Events: &EventRatioSLI{
			Good:  fmt.Sprintf("histogram_fraction(0, %s, %s) * histogram_count(%s)", formatNumber(lat.Seconds()), hist, hist),
			Total: fmt.Sprintf("histogram_count(%s)", hist),
		}}
	}
	gauge, ok := w.pyrraMetric(im, m[kind], f, "metric")
	if !ok {
		return SLI{}
	}
	return SLI{Kind: KindEventRatio, Events: &EventRatioSLI{
		Good:  fmt.Sprintf("sum(sum_over_time(%s[{{.window}}]))", gauge),
		Total: fmt.Sprintf("sum(count_over_time(%s[{{.window}}]))", gauge),
	}}
}

// pyrraMetric reads a {metric: selector} (or, for bool_gauge, the metric
// key itself). Pyrra takes a bare series selector, which it wraps itself.
func (w *walker) pyrraMetric(m map[string]*yaml.Node, parent *yaml.Node, field, key string) (string, bool) {
	f := join(field, key)
	n, present := m[key]
	if !present {
		w.fail(parent, f, "is required")
		return "", false
	}
	if key != "metric" {
		qm, ok := w.mapping(n, f, nil)
		if !ok {
			return "", false
		}
		f = join(f, "metric")
		if n, present = qm["metric"]; !present {
			w.fail(m[key], f, "is required: a series selector such as http_requests_total{job=\"api\"}")
			return "", false
		}
	}
	sel, ok := w.str(n, f)
	if !ok {
		return "", false
	}
	sel = strings.TrimSpace(sel)
	expr, err := promParser.ParseExpr(sel)
	if err != nil {
		w.fail(n, f, "is not a valid series selector: %s", firstLine(err.Error()))
		return "", false
	}
	if _, isSel := expr.(*parser.VectorSelector); !isSel {
		w.fail(n, f, "must be a series selector such as http_requests_total{job=\"api\"}, not an expression")
		return "", false
	}
	return sel, true
}
