package slo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/slo/lag"
)

// Inline specs are reltui's own format: a YAML list of SLOs under a key
// (in reltui's config this will be `slos:`). It follows Sloth's vocabulary
// (objective in percent, {{.window}} templates) so a Sloth user can copy an
// SLO across, and adds what Sloth leaves to the command line or lacks: the
// window, a low-traffic floor, latency and lag SLIs.
//
//	slos:
//	  - name: api-availability
//	    service: api
//	    objective: 99.9            # percent
//	    window: 30d                # 7d, 28d or 30d; default 30d
//	    low_traffic_min: 100       # events per alert window; 0 = off
//	    description: API requests succeed.
//	    labels: {team: platform}
//	    sli:
//	      events:                  # exactly one of events, latency, lag, raw
//	        bad: sum(rate(http_requests_total{service="api",code=~"5.."}[{{.window}}]))
//	        total: sum(rate(http_requests_total{service="api"}[{{.window}}]))
//	        # good: may replace bad; events: may count events explicitly
//	  - name: api-latency
//	    service: api
//	    objective: 99
//	    sli:
//	      latency:
//	        metric: http_request_duration_seconds   # histogram base name
//	        matchers: service="api"
//	        le: "0.3"
//	  - name: invoicing-lag
//	    service: invoicing
//	    objective: 99.5
//	    sli:
//	      lag:                     # query: (lag in seconds), or group: with
//	        group: invoicer        # exporter: kafka_exporter (default),
//	        topic: invoices        # kminion or klag-exporter
//	        max_seconds: 30
//	        step: 1m
//	  - name: web-raw
//	    service: web
//	    objective: 99.9
//	    sli:
//	      raw:
//	        error_ratio: slo:sli_error:ratio_rate{{.window}}{service="web"}
var (
	inlineKeys    = []string{"name", "service", "objective", "window", "low_traffic_min", "description", "labels", "sli"}
	inlineSLIKeys = []string{"events", "latency", "lag", "raw"}
)

// ReadInline reads the list of inline SLOs under the top-level key of a
// YAML file. file is only used to name the file in errors.
func ReadInline(file string, data []byte, key string) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	if len(docs) == 0 {
		if len(w.errs) == 0 {
			w.fail(nil, key, "not found: the file is empty")
		}
		return nil, w.err()
	}
	top, ok := w.mapping(docs[0].node, "", nil)
	if !ok {
		return nil, w.err()
	}
	list, found := top[key]
	if !found {
		w.fail(docs[0].node, key, "not found")
		return nil, w.err()
	}
	slos := w.inlineList(list, key)
	if err := w.err(); err != nil {
		return nil, err
	}
	return slos, nil
}

// DecodeInline decodes an already parsed list node, for a config loader
// that owns the surrounding file. field is the list's dotted path (e.g.
// "slos" or "contexts.prod.slos"), so errors name the field as the user
// wrote it.
func DecodeInline(file string, list *yaml.Node, field string) ([]SLO, error) {
	w := &walker{file: file}
	slos := w.inlineList(list, field)
	if err := w.err(); err != nil {
		return nil, err
	}
	return slos, nil
}

func (w *walker) inlineList(list *yaml.Node, field string) []SLO {
	items, ok := w.sequence(list, field)
	if !ok {
		return nil
	}
	var out []SLO
	seen := map[string]bool{}
	for i, item := range items {
		f := index(field, i)
		s, ok := w.inlineSLO(item, f)
		if !ok {
			continue
		}
		if seen[s.Name] {
			w.fail(mapChild(item)["name"], join(f, "name"), "another SLO is already named %q", s.Name)
			continue
		}
		seen[s.Name] = true
		out = append(out, s)
	}
	return out
}

func (w *walker) inlineSLO(n *yaml.Node, field string) (SLO, bool) {
	before := len(w.errs)
	m, ok := w.mapping(n, field, inlineKeys)
	if !ok {
		return SLO{}, false
	}
	s := SLO{Window: DefaultWindow}
	if v, present := m["name"]; present {
		s.Name, _ = w.str(v, join(field, "name"))
	} else {
		w.fail(n, join(field, "name"), "is required")
	}
	if v, present := m["service"]; present {
		s.Service, _ = w.str(v, join(field, "service"))
	}
	if v, present := m["objective"]; present {
		s.Objective, _ = w.percentObjective(v, join(field, "objective"))
	} else {
		w.fail(n, join(field, "objective"), "is required (a percent such as 99.9)")
	}
	if v, present := m["window"]; present {
		if d, ok := w.window(v, join(field, "window")); ok {
			s.Window = d
		}
	}
	if v, present := m["low_traffic_min"]; present {
		f := join(field, "low_traffic_min")
		if x, ok := w.number(v, f); ok {
			if x < 0 {
				w.fail(v, f, "must not be negative, got %s", formatNumber(x))
			}
			s.LowTrafficMin = x
		}
	}
	if v, present := m["description"]; present {
		s.Description, _ = w.str(v, join(field, "description"))
	}
	s.Labels = w.labels(m["labels"], join(field, "labels"))
	if v, present := m["sli"]; present {
		s.SLI = w.inlineSLI(v, join(field, "sli"))
	} else {
		w.fail(n, join(field, "sli"), "is required (one of events, latency, lag, raw)")
	}
	return s, len(w.errs) == before
}

func (w *walker) inlineSLI(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, inlineSLIKeys)
	if !ok {
		return SLI{}
	}
	if len(m) != 1 {
		w.fail(n, field, "needs exactly one of events, latency, lag, raw; found %d", len(m))
		return SLI{}
	}
	switch {
	case m["events"] != nil:
		return w.inlineEvents(m["events"], join(field, "events"))
	case m["latency"] != nil:
		return w.inlineLatency(m["latency"], join(field, "latency"))
	case m["lag"] != nil:
		return w.inlineLag(m["lag"], join(field, "lag"))
	default:
		return w.inlineRaw(m["raw"], join(field, "raw"))
	}
}

// windowQuery reads a query template that must vary with the window.
func (w *walker) windowQuery(n *yaml.Node, field string) (string, bool) {
	q, ok := w.query(n, field)
	if ok && !HasWindow(q) {
		w.fail(n, field, "query must use {{.window}} for its range, e.g. rate(x[{{.window}}])")
		return "", false
	}
	return q, ok
}

func (w *walker) inlineEvents(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, []string{"good", "bad", "total", "events"})
	if !ok {
		return SLI{}
	}
	e := &EventRatioSLI{}
	_, hasGood := m["good"]
	_, hasBad := m["bad"]
	switch {
	case hasGood == hasBad:
		w.fail(n, field, "needs exactly one of good and bad")
	case hasBad:
		e.Bad, _ = w.windowQuery(m["bad"], join(field, "bad"))
	default:
		e.Good, _ = w.windowQuery(m["good"], join(field, "good"))
	}
	if v, present := m["total"]; present {
		e.Total, _ = w.windowQuery(v, join(field, "total"))
	} else {
		w.fail(n, join(field, "total"), "is required")
	}
	if v, present := m["events"]; present {
		e.EventsQuery, _ = w.windowQuery(v, join(field, "events"))
	}
	return SLI{Kind: KindEventRatio, Events: e}
}

func (w *walker) inlineLatency(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, []string{"metric", "matchers", "le"})
	if !ok {
		return SLI{}
	}
	l := &LatencySLI{}
	if v, present := m["metric"]; present {
		f := join(field, "metric")
		if s, ok := w.str(v, f); ok {
			if !metricName.MatchString(s) {
				w.fail(v, f, "%q is not a metric name", s)
			}
			l.Metric = trimHistogramSuffix(s)
		}
	} else {
		w.fail(n, join(field, "metric"), "is required (the histogram's base name)")
	}
	if v, present := m["matchers"]; present {
		f := join(field, "matchers")
		if s, ok := w.str(v, f); ok {
			if err := checkMatchers(s); err != nil {
				w.fail(v, f, "%v", err)
			}
			l.Matchers = s
		}
	}
	if v, present := m["le"]; present {
		f := join(field, "le")
		if s, ok := w.str(v, f); ok {
			if _, err := parseBound(s); err != nil {
				w.fail(v, f, "must be a bucket bound such as 0.3, got %q", s)
			}
			l.LE = s
		}
	} else {
		w.fail(n, join(field, "le"), "is required (the bucket bound that counts as fast enough)")
	}
	return SLI{Kind: KindLatency, Latency: l}
}

func (w *walker) inlineLag(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, []string{"query", "group", "topic", "exporter", "max_seconds", "step"})
	if !ok {
		return SLI{}
	}
	l := &LagSLI{}
	_, hasQuery := m["query"]
	_, hasGroup := m["group"]
	switch {
	case hasQuery && hasGroup:
		w.fail(n, field, "needs one of query and group, not both")
	case hasQuery:
		f := join(field, "query")
		if q, ok := w.query(m["query"], f); ok {
			if HasWindow(q) {
				w.fail(m["query"], f, "must be an instant query of lag in seconds, without {{.window}}")
			} else if err := checkVector(q); err != nil {
				w.fail(m["query"], f, "query %v", err) // it is sampled with a subquery
			}
			l.Query = q
		}
	case hasGroup:
		l.Query = w.lagFromExporter(m, field)
	default:
		w.fail(n, join(field, "group"), "is required: the consumer group (or give query: lag in seconds)")
	}
	for _, k := range []string{"topic", "exporter"} {
		if v, present := m[k]; present && !hasGroup {
			w.fail(v, join(field, k), "only goes with group")
		}
	}
	if v, present := m["max_seconds"]; present {
		f := join(field, "max_seconds")
		if x, ok := w.number(v, f); ok {
			if x <= 0 {
				w.fail(v, f, "must be above 0, got %s", formatNumber(x))
			}
			l.MaxSeconds = x
		}
	} else {
		w.fail(n, join(field, "max_seconds"), "is required")
	}
	if v, present := m["step"]; present {
		f := join(field, "step")
		if d, ok := w.duration(v, f); ok {
			if d < time.Second {
				w.fail(v, f, "must be at least 1s")
			}
			l.Step = d
		}
	}
	return SLI{Kind: KindLag, Lag: l}
}

// lagFromExporter builds the lag-in-seconds query from an exporter's
// series (lag.SecondsQuery): kafka_exporter unless exporter says otherwise.
func (w *walker) lagFromExporter(m map[string]*yaml.Node, field string) string {
	group, _ := w.str(m["group"], join(field, "group"))
	var topic, exp string
	if v, present := m["topic"]; present {
		topic, _ = w.str(v, join(field, "topic"))
	}
	if v, present := m["exporter"]; present {
		exp, _ = w.str(v, join(field, "exporter"))
	}
	q, err := lag.SecondsQuery(lag.Exporter(exp), group, topic)
	if err != nil {
		node, f := m["group"], join(field, "group")
		if exp != "" && group != "" {
			node, f = m["exporter"], join(field, "exporter")
		}
		w.fail(node, f, "%v", err)
	}
	return q
}

func (w *walker) inlineRaw(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, []string{"error_ratio", "success_ratio"})
	if !ok {
		return SLI{}
	}
	r := &RawRatioSLI{}
	e, hasErr := m["error_ratio"]
	s, hasOK := m["success_ratio"]
	switch {
	case hasErr == hasOK:
		w.fail(n, field, "needs exactly one of error_ratio and success_ratio")
	case hasErr:
		r.Query, _ = w.windowQuery(e, join(field, "error_ratio"))
	default:
		r.Query, _ = w.windowQuery(s, join(field, "success_ratio"))
		r.Success = true
	}
	return SLI{Kind: KindRawRatio, Raw: r}
}

// metricName is Prometheus's metric name syntax.
var metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// trimHistogramSuffix lets people name the histogram by any of its series.
func trimHistogramSuffix(name string) string {
	for _, suf := range []string{"_bucket", "_count", "_sum"} {
		if base, ok := strings.CutSuffix(name, suf); ok && base != "" {
			return base
		}
	}
	return name
}

// parseBound reads an le label value, which Prometheus writes as a float
// (+Inf included).
func parseBound(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		return 0, fmt.Errorf("not a bound: %q", s)
	}
	return v, nil
}
