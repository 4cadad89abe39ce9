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

// ReadOpenSLO reads the kind: SLO documents of an OpenSLO v1 file (YAML:
// one document, several --- documents, or a top-level list of documents)
// into SLOs. What it accepts, and why:
//
//   - The indicator is a ratioMetric (good or bad over total, or a raw
//     ratio) or a thresholdMetric (good while the query meets the
//     objective's op and value), inline or an indicatorRef to a kind: SLI
//     document in the same file.
//   - Every metric source must be Prometheus-compatible, because reltui
//     evaluates SLOs with PromQL; a metricSourceRef is checked against the
//     kind: DataSource of that name when the file holds it. Any other
//     source is an error naming it, whatever the SLI.
//   - The time window is rolling or calendar-aligned, any whole number of
//     days from 1d to 366d in duration-shorthand (1M is 30 days, 1Q 90,
//     1Y 365); 30d when absent.
//   - budgetingMethod is Occurrences (the default), Timeslices (the share
//     of slices whose good ratio is below timeSliceTarget) or
//     RatioTimeslices (the mean of the slices' ratios).
//   - alertPolicies, inline or by alertPolicyRef, must be well formed;
//     reltui alerts with its own burn-rate table.
//   - Each objective becomes one SLO. With several objectives they are
//     named metadata.name/objective-name.
//
// A query may use Sloth's {{.window}} placeholder (Sloth's own OpenSLO
// examples do). Without it, reltui wraps the query to cover the window: a
// counter (counter: true) in increase(), anything else in avg_over_time()
// as a subquery, so the ratio of the two stays the ratio of events; a raw
// ratio is averaged over the window. OpenSLO's v1alpha, which Sloth reads,
// is read by ReadSloth.
func ReadOpenSLO(file string, data []byte) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	prefixes := make([]string, len(docs))
	kinds := make([]string, len(docs))
	slis := map[string]*yaml.Node{}     // kind: SLI name -> its document
	sources := map[string]string{}      // kind: DataSource name -> spec.type
	policies := map[string]*yaml.Node{} // kind: AlertPolicy name -> its document
	for i, d := range docs {
		doc := d.node
		prefixes[i] = d.field
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
		case "AlertPolicy":
			policies[name] = doc
		}
	}
	r := openSLOReader{walker: w, slis: slis, sources: sources, policies: policies}
	var out []SLO
	seen := map[string]bool{}
	found := false
	for i, d := range docs {
		doc := d.node
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
	slis     map[string]*yaml.Node
	sources  map[string]string
	policies map[string]*yaml.Node
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
		r.fail(m["apiVersion"], af, "must be %q, got %q", OpenSLOVersion, v) // v1alpha goes to ReadSloth, as Sloth reads it
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
	method := "Occurrences"
	if v, present := spec["budgetingMethod"]; present {
		if bm, ok := r.str(v, join(sf, "budgetingMethod")); ok {
			switch bm {
			case "Occurrences", "Timeslices", "RatioTimeslices":
				method = bm
			default:
				r.fail(v, join(sf, "budgetingMethod"), "must be Occurrences, Timeslices or RatioTimeslices, got %q", bm)
			}
		}
	}
	if v, present := spec["timeWindow"]; present {
		base.Window, base.Calendar = r.timeWindow(v, join(sf, "timeWindow"))
	}
	if v, present := spec["alertPolicies"]; present {
		r.alertPolicies(v, join(sf, "alertPolicies"))
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
		if s.SLI.Threshold != nil {
			s.SLI.Threshold = r.thresholdBound(o, om, of, *s.SLI.Threshold)
		}
		if method != "Occurrences" {
			s.TimeSlices = r.timeSlices(o, om, of, method, s.Window)
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

// thresholdBound completes a thresholdMetric with the objective's op and
// value, which say what a good sample is.
func (r openSLOReader) thresholdBound(o *yaml.Node, om map[string]*yaml.Node, field string, t ThresholdSLI) *ThresholdSLI {
	if v, present := om["op"]; !present {
		r.fail(o, join(field, "op"), "is required with a thresholdMetric (lt, lte, gt or gte)")
	} else if op, ok := r.str(v, join(field, "op")); ok {
		if thresholdOps[op] == "" {
			r.fail(v, join(field, "op"), "must be lt, lte, gt or gte, got %q", op)
		}
		t.Op = op
	}
	if v, present := om["value"]; !present {
		r.fail(o, join(field, "value"), "is required with a thresholdMetric: the bound a good sample meets")
	} else {
		t.Value, _ = r.number(v, join(field, "value"))
	}
	return &t
}

// timeSlices reads timeSliceWindow (and, for Timeslices, timeSliceTarget).
func (r openSLOReader) timeSlices(o *yaml.Node, om map[string]*yaml.Node, field, method string, window time.Duration) *TimeSlices {
	ts := &TimeSlices{Ratio: method == "RatioTimeslices"}
	wf := join(field, "timeSliceWindow")
	if v, present := om["timeSliceWindow"]; !present {
		r.fail(o, wf, "is required with budgetingMethod %s", method)
	} else if n := resolve(v); n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		mins, _ := r.number(v, wf) // a bare number counts minutes
		if !(mins > 0 && mins <= float64(MaxWindow/time.Minute)) {
			r.fail(v, wf, "must be a positive number of minutes, got %s", formatNumber(mins))
		}
		ts.Slice = time.Duration(mins * float64(time.Minute))
	} else if d, ok := r.shorthand(v, wf); ok {
		ts.Slice = d
	}
	if ts.Slice > window && window > 0 {
		r.fail(om["timeSliceWindow"], wf, "a time slice cannot be longer than the SLO window (%s)", FormatPromDuration(window))
	}
	if ts.Ratio {
		return ts
	}
	tf := join(field, "timeSliceTarget")
	if v, present := om["timeSliceTarget"]; !present {
		r.fail(o, tf, "is required with budgetingMethod Timeslices")
	} else if t, ok := r.number(v, tf); ok {
		if !(t > 0 && t <= 1) {
			r.fail(v, tf, "must be above 0 and at most 1, got %s", formatNumber(t))
		}
		ts.Target = t
	}
	return ts
}

// alertPolicies checks each entry is an inline AlertPolicy or an
// alertPolicyRef. reltui alerts with its own burn-rate table, so a policy
// only has to be well formed; a reference to a policy in another file is
// allowed, as OpenSLO tools read directories.
func (r openSLOReader) alertPolicies(n *yaml.Node, field string) {
	if isNull(n) {
		return // "alertPolicies:" with nothing under it, as OpenSLO's examples write
	}
	items, ok := r.sequence(n, field)
	if !ok {
		return
	}
	for i, item := range items {
		f := index(field, i)
		m, ok := r.mapping(item, f, nil)
		if !ok {
			continue
		}
		if ref, present := m["alertPolicyRef"]; present {
			r.str(ref, join(f, "alertPolicyRef"))
			continue
		}
		if k := scalar(m["kind"]); k != "AlertPolicy" {
			r.fail(item, join(f, "kind"), "must be AlertPolicy for an inline policy (or use alertPolicyRef), got %q", k)
		}
	}
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
		if _, both := m["ratioMetric"]; both {
			r.fail(m["ratioMetric"], join(field, "ratioMetric"), "cannot be used together with thresholdMetric")
			return SLI{}
		}
		q, ok := r.metricSource(v, join(field, "thresholdMetric"))
		if !ok {
			return SLI{}
		}
		if HasWindow(q.query) {
			r.fail(q.node, q.field, "a thresholdMetric query is sampled as it is; it cannot use {{.window}}")
			return SLI{}
		}
		if err := checkVector(q.query); err != nil {
			r.fail(q.node, q.field, "query %v, to be sampled over the window", err)
			return SLI{}
		}
		return SLI{Kind: KindThreshold, Threshold: &ThresholdSLI{Query: q.query}}
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

// sourcedQuery is a metric source's PromQL and where it was written.
type sourcedQuery struct {
	query string
	node  *yaml.Node
	field string
}

// promCompatible are the data source types (lower case) that answer
// PromQL over Prometheus's HTTP API, so reltui can evaluate them.
var promCompatible = map[string]bool{
	"prometheus": true, "thanos": true, "cortex": true, "mimir": true, "grafanamimir": true,
	"victoriametrics": true, "amazonprometheus": true, "googlemanagedprometheus": true,
}

// metricSource reads {metricSource: {type, metricSourceRef, spec: {query}}}.
// A type that is not Prometheus-compatible, given or found through a
// DataSource in the file, is an error naming it.
func (r openSLOReader) metricSource(n *yaml.Node, field string) (sourcedQuery, bool) {
	m, ok := r.mapping(n, field, nil)
	if !ok {
		return sourcedQuery{}, false
	}
	sf := join(field, "metricSource")
	src, ok := r.mapping(m["metricSource"], sf, nil)
	if !ok {
		return sourcedQuery{}, false
	}
	typ, at, tf := "", src["type"], join(sf, "type")
	if v, present := src["type"]; present {
		typ, _ = r.str(v, tf)
	} else if v, present := src["metricSourceRef"]; present {
		if ref, ok := r.str(v, join(sf, "metricSourceRef")); ok {
			typ, at, tf = r.sources[ref], v, join(sf, "metricSourceRef") // a ref to another file is judged by its query
		}
	}
	if typ != "" && !promCompatible[strings.ToLower(typ)] {
		r.fail(at, tf, "data source %q is not Prometheus-compatible; reltui evaluates PromQL against Prometheus, Thanos, Cortex, Mimir or VictoriaMetrics", typ)
		return sourcedQuery{}, false
	}
	spec, ok := r.mapping(src["spec"], join(sf, "spec"), nil)
	if !ok {
		return sourcedQuery{}, false
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
		return sourcedQuery{}, false
	}
	q, ok := r.query(qn, qf)
	return sourcedQuery{q, qn, qf}, ok
}

// metricQuery reads a ratioMetric's good, bad, total or raw and returns a
// {{.window}} template. ratio marks a raw ratio, which is
// averaged; counts are summed.
func (r openSLOReader) metricQuery(n *yaml.Node, field string, counter, ratio bool) (string, bool) {
	src, ok := r.metricSource(n, field)
	if !ok {
		return "", false
	}
	q, qn, qf := src.query, src.node, src.field
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

var shorthandRE = regexp.MustCompile(`^([0-9]+)([mhdwMQY])$`)

// shorthandUnits are OpenSLO's duration-shorthand postfixes. The spec lets
// implementers choose how long a month, quarter and year are; reltui
// counts 30, 90 and 365 days, the nominal lengths burn-rate factors use.
var shorthandUnits = map[string]time.Duration{
	"m": time.Minute, "h": time.Hour, "d": Day, "w": 7 * Day, "M": 30 * Day, "Q": 90 * Day, "Y": 365 * Day,
}

// calendarUnits names the period a calendar window's postfix counts.
var calendarUnits = map[string]string{"d": "day", "w": "week", "M": "month", "Q": "quarter", "Y": "year"}

// shorthand reads an OpenSLO duration-shorthand such as 4w or 1Q.
func (r openSLOReader) shorthand(n *yaml.Node, field string) (time.Duration, bool) {
	s, ok := r.str(n, field)
	if !ok {
		return 0, false
	}
	mm := shorthandRE.FindStringSubmatch(s)
	num, err := 0, error(nil)
	if mm != nil {
		num, err = strconv.Atoi(mm[1])
	}
	if mm == nil || err != nil || num <= 0 || num > 100000 {
		r.fail(n, field, "must be a duration shorthand such as 28d, 4w or 1M, got %q", s)
		return 0, false
	}
	return time.Duration(num) * shorthandUnits[mm[2]], true
}

// timeWindow reads the one-item timeWindow list: a rolling window, or a
// calendar-aligned one (isRolling false, or absent with a calendar).
func (r openSLOReader) timeWindow(n *yaml.Node, field string) (time.Duration, *CalendarWindow) {
	items, ok := r.sequence(n, field)
	if !ok {
		return 0, nil
	}
	if len(items) != 1 {
		r.fail(n, field, "must hold exactly one window, got %d", len(items))
		return 0, nil
	}
	f := index(field, 0)
	m, ok := r.mapping(items[0], f, nil)
	if !ok {
		return 0, nil
	}
	cal, hasCal := m["calendar"]
	rolling := !hasCal
	if v, present := m["isRolling"]; present {
		rolling, _ = r.boolean(v, join(f, "isRolling"))
	}
	df := join(f, "duration")
	dn, present := m["duration"]
	if !present {
		r.fail(items[0], df, "is required")
		return 0, nil
	}
	d, ok := r.shorthand(dn, df)
	if !ok {
		return 0, nil
	}
	if !windowAllowed(d) {
		r.fail(dn, df, "window must be a whole number of days from 1d to 366d, got %s", scalar(dn))
		return 0, nil
	}
	switch {
	case rolling && hasCal:
		r.fail(cal, join(f, "calendar"), "cannot be used with isRolling: true")
		return 0, nil
	case rolling:
		return d, nil
	case !hasCal:
		r.fail(items[0], join(f, "calendar"), "is required when isRolling is false")
		return 0, nil
	}
	mm := shorthandRE.FindStringSubmatch(scalar(dn))
	count, _ := strconv.Atoi(mm[1])
	cw := &CalendarWindow{Unit: calendarUnits[mm[2]], Count: count}
	cf := join(f, "calendar")
	cm, ok := r.mapping(cal, cf, nil)
	if !ok {
		return 0, nil
	}
	loc := time.UTC
	if v, present := cm["timeZone"]; present {
		if name, ok := r.str(v, join(cf, "timeZone")); ok {
			l, err := time.LoadLocation(name)
			if err != nil || name == "" || name == "Local" {
				r.fail(v, join(cf, "timeZone"), "must be an IANA time zone such as America/New_York, got %q", name)
				return 0, nil
			}
			loc = l
		}
	}
	sf := join(cf, "startTime")
	sn, present := cm["startTime"]
	if !present {
		r.fail(cal, sf, "is required: the date and time the first period starts")
		return 0, nil
	}
	st, ok := r.str(sn, sf)
	if !ok {
		return 0, nil
	}
	start, err := time.ParseInLocation("2006-01-02 15:04:05", st, loc)
	if err != nil {
		r.fail(sn, sf, "must be a date and time such as 2020-01-21 12:30:00, got %q", st)
		return 0, nil
	}
	cw.Start = start
	return d, cw
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
