package slo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// OpenSLOVersion is the only OpenSLO apiVersion reltui reads.
const OpenSLOVersion = "openslo/v1"

// ReadOpenSLO reads the kind: SLO documents of an OpenSLO v1 file (YAML,
// one or many documents) into SLOs. What it accepts, and why:
//
//   - The indicator must be a ratioMetric (good or bad over total, or a raw
//     ratio) whose metric sources are Prometheus, because reltui evaluates
//     SLOs with PromQL. A thresholdMetric has no error ratio to burn.
//   - The indicator may be inline or an indicatorRef to a kind: SLI
//     document in the same file; a metricSourceRef may name a kind:
//     DataSource in the same file, whose type is then checked.
//   - The time window must be rolling (isRolling, no calendar) and 7d, 28d
//     or 30d (4w counts as 28d); it defaults to 30d when absent.
//   - budgetingMethod must be Occurrences (or absent): the burn-rate math
//     counts events, and Timeslices budgets count minutes instead.
//   - Each objective becomes one SLO. With several objectives they are
//     named metadata.name/objective-name.
//
// A query may use Sloth's {{.window}} placeholder (Sloth's own OpenSLO
// examples do). Without it, reltui wraps the query to cover the window: a
// counter (counter: true) in increase(), anything else in avg_over_time()
// as a subquery, so the ratio of the two stays the ratio of events; a raw
// ratio is averaged over the window.
func ReadOpenSLO(file string, data []byte) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	prefixes := make([]string, len(docs))
	kinds := make([]string, len(docs))
	slis := map[string]*yaml.Node{} // kind: SLI name -> its document
	sources := map[string]string{}  // kind: DataSource name -> spec.type
	for i, doc := range docs {
		if len(docs) > 1 {
			prefixes[i] = fmt.Sprintf("documents[%d]", i)
		}
		// This first pass only indexes; problems are reported once, by the
		// checked reads of the second pass, except for what stops it.
		m := mapChild(doc)
		if m == nil {
			w.fail(doc, prefixes[i], "expected a mapping of keys, got %s", kindName(doc))
			continue
		}
		kinds[i] = scalar(m["kind"])
		if kinds[i] == "" {
			w.fail(doc, join(prefixes[i], "kind"), "is required (SLO, SLI, DataSource, ...)")
		}
		name := openSLOName(m)
		switch kinds[i] {
		case "SLI":
			slis[name] = doc
		case "DataSource":
			sources[name] = scalar(mapChild(m["spec"])["type"])
		}
	}
	r := openSLOReader{walker: w, slis: slis, sources: sources}
	var out []SLO
	seen := map[string]bool{}
	found := false
	for i, doc := range docs {
		if kinds[i] != "SLO" {
			continue
		}
		found = true
		for _, s := range r.slo(doc, prefixes[i]) {
			if seen[s.Name] {
				w.fail(doc, join(prefixes[i], "metadata.name"), "another SLO is already named %q", s.Name)
				continue
			}
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	if !found && len(w.errs) == 0 {
		w.fail(nil, "kind", "no kind: SLO document in the file")
	}
	if err := w.err(); err != nil {
		return nil, err
	}
	return out, nil
}

type openSLOReader struct {
	*walker
	slis    map[string]*yaml.Node
	sources map[string]string
}

func (r openSLOReader) slo(doc *yaml.Node, prefix string) []SLO {
	before := len(r.errs)
	m, _ := r.mapping(doc, prefix, nil)
	af := join(prefix, "apiVersion")
	if _, present := m["apiVersion"]; !present {
		r.fail(doc, af, "is required (%q)", OpenSLOVersion)
		return nil
	}
	if v, ok := r.str(m["apiVersion"], af); !ok {
		return nil
	} else if v != OpenSLOVersion {
		r.fail(m["apiVersion"], af, "must be %q, got %q", OpenSLOVersion, v)
		return nil
	}
	base := SLO{Window: DefaultWindow}
	if md, ok := r.mapping(m["metadata"], join(prefix, "metadata"), nil); ok {
		if v, present := md["name"]; present {
			base.Name, _ = r.str(v, join(prefix, "metadata.name"))
		} else {
			r.fail(m["metadata"], join(prefix, "metadata.name"), "is required")
		}
		base.Labels = r.labels(md["labels"], join(prefix, "metadata.labels"))
		if v, present := md["displayName"]; present {
			base.Description, _ = r.str(v, join(prefix, "metadata.displayName"))
		}
	}
	sf := join(prefix, "spec")
	spec, ok := r.mapping(m["spec"], sf, nil)
	if !ok {
		return nil
	}
	if v, present := spec["service"]; present {
		base.Service, _ = r.str(v, join(sf, "service"))
	}
	if v, present := spec["description"]; present {
		if d, ok := r.str(v, join(sf, "description")); ok && d != "" {
			base.Description = d
		}
	}
	if v, present := spec["budgetingMethod"]; present {
		if bm, ok := r.str(v, join(sf, "budgetingMethod")); ok && bm != "Occurrences" {
			r.fail(v, join(sf, "budgetingMethod"), "reltui evaluates Occurrences budgets only (burn rates count events), got %q", bm)
		}
	}
	if v, present := spec["timeWindow"]; present {
		base.Window = r.timeWindow(v, join(sf, "timeWindow"))
	}
	specSLI, specHasSLI := r.indicator(spec, sf)
	list, present := spec["objectives"]
	if !present {
		r.fail(m["spec"], join(sf, "objectives"), "is required")
		return nil
	}
	objs, ok := r.sequence(list, join(sf, "objectives"))
	if !ok {
		return nil
	}
	if len(objs) == 0 {
		r.fail(list, join(sf, "objectives"), "is empty")
	}
	var out []SLO
	missing := false
	for i, o := range objs {
		of := index(join(sf, "objectives"), i)
		om, ok := r.mapping(o, of, nil)
		if !ok {
			continue
		}
		s := base
		s.Objective = r.target(o, om, of)
		s.SLI = specSLI
		if sli, has := r.indicator(om, of); has {
			s.SLI = sli
		} else if !specHasSLI && !missing {
			missing = true
			r.fail(m["spec"], join(sf, "indicator"), "is required (or indicatorRef)")
		}
		if len(objs) > 1 {
			s.Name = base.Name + "/" + objectiveName(om, i)
		}
		out = append(out, s)
	}
	if len(r.errs) != before {
		return nil
	}
	return out
}

// indicator reads indicator or indicatorRef from m; false when neither is
// there (an objective may carry its own, overriding the SLO's).
func (r openSLOReader) indicator(m map[string]*yaml.Node, field string) (SLI, bool) {
	inline, hasInline := m["indicator"]
	ref, hasRef := m["indicatorRef"]
	switch {
	case hasInline && hasRef:
		r.fail(ref, join(field, "indicatorRef"), "cannot be used together with indicator")
		return SLI{}, true
	case hasInline:
		im, ok := r.mapping(inline, join(field, "indicator"), nil)
		if !ok {
			return SLI{}, true
		}
		return r.sliSpec(im["spec"], join(field, "indicator.spec")), true
	case hasRef:
		name, ok := r.str(ref, join(field, "indicatorRef"))
		if !ok {
			return SLI{}, true
		}
		doc, found := r.slis[name]
		if !found {
			r.fail(ref, join(field, "indicatorRef"), "no kind: SLI named %q in this file", name)
			return SLI{}, true
		}
		return r.sliSpec(mapChild(doc)["spec"], fmt.Sprintf("(SLI %s).spec", name)), true
	}
	return SLI{}, false
}

func (r openSLOReader) sliSpec(n *yaml.Node, field string) SLI {
	m, ok := r.mapping(n, field, nil)
	if !ok {
		return SLI{}
	}
	if v, present := m["thresholdMetric"]; present {
		r.fail(v, join(field, "thresholdMetric"), "has no error ratio to burn; reltui needs a ratioMetric")
		return SLI{}
	}
	rf := join(field, "ratioMetric")
	rn, present := m["ratioMetric"]
	if !present {
		r.fail(n, rf, "is required")
		return SLI{}
	}
	rm, ok := r.mapping(rn, rf, nil)
	if !ok {
		return SLI{}
	}
	counter := false
	if v, present := rm["counter"]; present {
		counter, _ = r.boolean(v, join(rf, "counter"))
	}
	if raw, present := rm["raw"]; present {
		for _, k := range []string{"good", "bad", "total"} {
			if _, also := rm[k]; also {
				r.fail(rm[k], join(rf, k), "cannot be used together with raw")
			}
		}
		// A raw ratio is already a ratio: averaging it over the window is
		// right, increase() never is, so counter is ignored as the spec says.
		q, _ := r.metricQuery(raw, join(rf, "raw"), false, true)
		success := false
		if rt, hasType := rm["rawType"]; !hasType {
			r.fail(rn, join(rf, "rawType"), "is required with raw (success or failure)")
		} else if t, ok := r.str(rt, join(rf, "rawType")); ok {
			switch t {
			case "success":
				success = true
			case "failure":
			default:
				r.fail(rt, join(rf, "rawType"), "must be success or failure, got %q", t)
			}
		}
		return SLI{Kind: KindRawRatio, Raw: &RawRatioSLI{Query: q, Success: success}}
	}
	e := &EventRatioSLI{}
	good, hasGood := rm["good"]
	bad, hasBad := rm["bad"]
	switch {
	case hasGood == hasBad:
		r.fail(rn, rf, "needs exactly one of good and bad (with total), or raw")
	case hasGood:
		e.Good, _ = r.metricQuery(good, join(rf, "good"), counter, false)
	default:
		e.Bad, _ = r.metricQuery(bad, join(rf, "bad"), counter, false)
	}
	if total, present := rm["total"]; present {
		e.Total, _ = r.metricQuery(total, join(rf, "total"), counter, false)
	} else {
		r.fail(rn, join(rf, "total"), "is required")
	}
	return SLI{Kind: KindEventRatio, Events: e}
}

// metricQuery reads {metricSource: {type, metricSourceRef, spec: {query}}}
// and returns a {{.window}} template. ratio marks a raw ratio, which is
// averaged; counts are summed.
func (r openSLOReader) metricQuery(n *yaml.Node, field string, counter, ratio bool) (string, bool) {
	m, ok := r.mapping(n, field, nil)
	if !ok {
		return "", false
	}
	sf := join(field, "metricSource")
	src, ok := r.mapping(m["metricSource"], sf, nil)
	if !ok {
		return "", false
	}
	typ := ""
	if v, present := src["type"]; present {
		typ, _ = r.str(v, join(sf, "type"))
	} else if v, present := src["metricSourceRef"]; present {
		if ref, ok := r.str(v, join(sf, "metricSourceRef")); ok {
			typ = r.sources[ref] // unknown refs may live in another file; judge by the query
		}
	}
	if typ != "" && !strings.EqualFold(typ, "prometheus") {
		r.fail(src["type"], join(sf, "type"), "reltui evaluates Prometheus sources only, got %q", typ)
		return "", false
	}
	spec, ok := r.mapping(src["spec"], join(sf, "spec"), nil)
	if !ok {
		return "", false
	}
	key := "query"
	if _, present := spec["query"]; !present {
		if _, present := spec["promql"]; present {
			key = "promql"
		}
	}
	qf := join(sf, "spec."+key)
	qn, present := spec[key]
	if !present {
		r.fail(src["spec"], qf, "is required: the PromQL query")
		return "", false
	}
	q, ok := r.query(qn, qf)
	if !ok {
		return "", false
	}
	if HasWindow(q) {
		return q, true
	}
	if err := checkVector(q); err != nil {
		r.fail(qn, qf, "query %v, to be wrapped over the window", err)
		return "", false
	}
	if ratio {
		// A ratio per series: average it over time, then across series.
		return fmt.Sprintf("avg(avg_over_time((%s)[{{.window}}:]))", q), true
	}
	if counter {
		if expr, err := promParser.ParseExpr(q); err == nil {
			if _, bare := expr.(*parser.VectorSelector); bare {
				return fmt.Sprintf("sum(increase(%s[{{.window}}]))", q), true
			}
		}
		return fmt.Sprintf("sum(increase((%s)[{{.window}}:]))", q), true
	}
	return fmt.Sprintf("sum(avg_over_time((%s)[{{.window}}:]))", q), true
}

func (r openSLOReader) target(o *yaml.Node, om map[string]*yaml.Node, field string) float64 {
	t, hasT := om["target"]
	p, hasP := om["targetPercent"]
	switch {
	case hasT && hasP:
		r.fail(p, join(field, "targetPercent"), "cannot be used together with target")
	case hasT:
		v, ok := r.number(t, join(field, "target"))
		if ok && !(v > 0 && v < 1) {
			r.fail(t, join(field, "target"), "must be between 0 and 1 (exclusive), got %s", formatNumber(v))
			return 0
		}
		return v
	case hasP:
		v, _ := r.percentObjective(p, join(field, "targetPercent"))
		return v
	default:
		r.fail(o, join(field, "target"), "is required (or targetPercent)")
	}
	return 0
}

var shorthand = regexp.MustCompile(`^([0-9]+)([mhdwMQY])$`)

// timeWindow reads the one-item timeWindow list.
func (r openSLOReader) timeWindow(n *yaml.Node, field string) time.Duration {
	items, ok := r.sequence(n, field)
	if !ok {
		return 0
	}
	if len(items) != 1 {
		r.fail(n, field, "must hold exactly one window, got %d", len(items))
		return 0
	}
	f := index(field, 0)
	m, ok := r.mapping(items[0], f, nil)
	if !ok {
		return 0
	}
	rolling, at := true, items[0]
	if v, present := m["isRolling"]; present {
		rolling, _ = r.boolean(v, join(f, "isRolling"))
		at = v
	} else if v, present := m["calendar"]; present {
		rolling, at = false, v // the spec: isRolling defaults to false with a calendar
	}
	if !rolling {
		r.fail(at, join(f, "isRolling"), "calendar-aligned windows are not supported; reltui evaluates rolling 7d, 28d or 30d windows")
		return 0
	}
	df := join(f, "duration")
	dn, present := m["duration"]
	if !present {
		r.fail(items[0], df, "is required")
		return 0
	}
	s, ok := r.str(dn, df)
	if !ok {
		return 0
	}
	mm := shorthand.FindStringSubmatch(s)
	if mm == nil {
		r.fail(dn, df, "must be a duration shorthand such as 28d or 4w, got %q", s)
		return 0
	}
	num, err := strconv.Atoi(mm[1])
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": Day, "w": 7 * Day}[mm[2]]
	if err != nil || unit == 0 || num > 100000 {
		r.fail(dn, df, "window must be 7d, 28d or 30d, got %s", s)
		return 0
	}
	d := time.Duration(num) * unit
	if !windowAllowed(d) {
		r.fail(dn, df, "window must be 7d, 28d or 30d, got %s", s)
		return 0
	}
	return d
}

func objectiveName(om map[string]*yaml.Node, i int) string {
	for _, k := range []string{"name", "displayName"} {
		if v := scalar(om[k]); v != "" {
			return slug(v)
		}
	}
	return strconv.Itoa(i)
}

// slug makes a display name usable as a name: lower case, runs of anything
// but letters and digits turned into one dash.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func openSLOName(m map[string]*yaml.Node) string {
	if md := mapChild(m["metadata"]); md != nil {
		return scalar(md["name"])
	}
	return ""
}

// mapChild returns a mapping's keys without reporting problems; for the
// first pass that only indexes SLI and DataSource documents.
func mapChild(n *yaml.Node) map[string]*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode {
			out[k.Value] = n.Content[i+1]
		}
	}
	return out
}

func scalar(n *yaml.Node) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}
