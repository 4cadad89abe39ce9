package slo

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// windowVar matches Sloth's {{.window}} placeholder, spaces allowed, since
// Sloth renders it with text/template and people write {{ .window }} too.
var windowVar = regexp.MustCompile(`\{\{\s*\.window\s*\}\}`)

// HasWindow reports whether a query template contains {{.window}}.
func HasWindow(tpl string) bool { return windowVar.MatchString(tpl) }

// ExpandWindow puts a PromQL range such as 1h or 30d where the template
// says {{.window}}.
func ExpandWindow(tpl string, window time.Duration) string {
	return windowVar.ReplaceAllLiteralString(tpl, FormatPromDuration(window))
}

// FormatPromDuration spells d the way PromQL ranges are written: 30d, 6h,
// 1h30m. Prometheus accepts compound durations; we never emit w or y,
// because 28d reads better than 4w in a query someone will paste.
func FormatPromDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{Day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if b.Len() == 0 {
		return "0s" // below a millisecond; PromQL has no finer unit
	}
	return b.String()
}

// ErrorRatioQuery returns PromQL whose single value is the SLO's error ratio
// (bad/total, 0..1) over the trailing window. The caller evaluates it as an
// instant query; tests evaluate the same string with the PromQL engine.
//
// With time slices (OpenSLO Timeslices, RatioTimeslices) the ratio is taken
// per slice and then over the window's slices, for every window at least
// one slice long; a shorter alert window sees the plain ratio.
func ErrorRatioQuery(s SLO, window time.Duration) (string, error) {
	ts := s.TimeSlices
	if ts == nil || ts.Slice <= 0 || window < ts.Slice {
		return eventErrorRatio(s, window)
	}
	inner, err := eventErrorRatio(s, ts.Slice)
	if err != nil {
		return "", err
	}
	rng := FormatPromDuration(window) + ":" + FormatPromDuration(ts.Slice)
	if ts.Ratio {
		return fmt.Sprintf("avg(avg_over_time((%s)[%s]))", inner, rng), nil
	}
	// A slice is bad when its good ratio is below Target, i.e. its error
	// ratio is above the slice's own budget.
	return fmt.Sprintf("avg(avg_over_time(((%s) > bool %s)[%s]))", inner, formatNumber(math.Round((1-ts.Target)*1e12)/1e12), rng), nil
}

// thresholdOps maps OpenSLO's op names to PromQL comparisons.
var thresholdOps = map[string]string{"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}

func eventErrorRatio(s SLO, window time.Duration) (string, error) {
	w := FormatPromDuration(window)
	switch sli := s.SLI; {
	case sli.Events != nil:
		total := ExpandWindow(sli.Events.Total, window)
		if sli.Events.Bad != "" {
			return fmt.Sprintf("(%s)\n/\n(%s)", ExpandWindow(sli.Events.Bad, window), total), nil
		}
		return fmt.Sprintf("1 - (\n(%s)\n/\n(%s)\n)", ExpandWindow(sli.Events.Good, window), total), nil
	case sli.Latency != nil:
		l := sli.Latency
		return fmt.Sprintf("1 - (\nsum(rate(%s_bucket{%s}[%s]))\n/\nsum(rate(%s_count%s[%s]))\n)",
			l.Metric, joinMatchers(l.Matchers, `le="`+l.LE+`"`), w, l.Metric, braces(l.Matchers), w), nil
	case sli.Lag != nil:
		// The share of sampled moments in the window where lag exceeded the
		// bound; max() keeps the worst partition or group if the query
		// returns several series.
		return fmt.Sprintf("max(avg_over_time(((%s) > bool %s)[%s:%s]))",
			sli.Lag.Query, formatNumber(sli.Lag.MaxSeconds), w, FormatPromDuration(lagStep(sli.Lag))), nil
	case sli.Threshold != nil:
		t := sli.Threshold
		return fmt.Sprintf("1 - avg(avg_over_time(((%s) %s bool %s)[%s:%s]))",
			t.Query, thresholdOps[t.Op], formatNumber(t.Value), w, FormatPromDuration(thresholdStep(t, window))), nil
	case sli.Recorded != nil:
		return sli.Recorded.query(window)
	case sli.Raw != nil:
		q := ExpandWindow(sli.Raw.Query, window)
		if sli.Raw.Success {
			return fmt.Sprintf("1 - (%s)", q), nil
		}
		return q, nil
	}
	return "", fmt.Errorf("slo %s: no SLI", s.Name)
}

// EventsQuery returns PromQL counting the events the SLI saw over window,
// which is what the low-traffic rule compares with LowTrafficMin. The
// second result is false when the SLI cannot count events (a raw ratio).
//
// For an event ratio without an explicit events query the count comes from
// the total query: when it is a per-second rate (it calls rate or irate, the
// usual Sloth shape) it is multiplied by the window's seconds; otherwise
// (increase, count_over_time, sum_over_time) it already is a count.
func EventsQuery(s SLO, window time.Duration) (string, bool) {
	w := FormatPromDuration(window)
	switch sli := s.SLI; {
	case sli.Events != nil:
		if sli.Events.EventsQuery != "" {
			return ExpandWindow(sli.Events.EventsQuery, window), true
		}
		total := ExpandWindow(sli.Events.Total, window)
		if perSecond(total) {
			return fmt.Sprintf("(%s) * %s", total, formatNumber(window.Seconds())), true
		}
		return total, true
	case sli.Latency != nil:
		return fmt.Sprintf("sum(increase(%s_count%s[%s]))", sli.Latency.Metric, braces(sli.Latency.Matchers), w), true
	case sli.Lag != nil:
		return fmt.Sprintf("max(count_over_time((%s)[%s:%s]))", sli.Lag.Query, w, FormatPromDuration(lagStep(sli.Lag))), true
	case sli.Threshold != nil:
		return fmt.Sprintf("sum(count_over_time((%s)[%s:%s]))", sli.Threshold.Query, w, FormatPromDuration(thresholdStep(sli.Threshold, window))), true
	}
	return "", false
}

func lagStep(l *LagSLI) time.Duration {
	if l.Step > 0 {
		return l.Step
	}
	return time.Minute
}

// maxThresholdSamples bounds how many times a threshold query is sampled
// over one window: every minute over an hour, every 12 minutes over 90
// days, so a quarter's budget stays a query Prometheus answers quickly.
const maxThresholdSamples = 10000

func thresholdStep(t *ThresholdSLI, window time.Duration) time.Duration {
	if t.Step > 0 {
		return t.Step
	}
	return max(time.Minute, (window / maxThresholdSamples).Truncate(time.Minute))
}

func braces(matchers string) string {
	if strings.TrimSpace(matchers) == "" {
		return ""
	}
	return "{" + matchers + "}"
}

func joinMatchers(matchers, extra string) string {
	if strings.TrimSpace(matchers) == "" {
		return extra
	}
	return matchers + "," + extra
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// promParser is stateless; Options{} keeps experimental functions off, as a
// default Prometheus server has them.
var promParser = parser.NewParser(parser.Options{})

// perSecond reports whether the query computes a per-second rate. It is a
// heuristic for EventsQuery and errs towards "already a count".
func perSecond(q string) bool {
	expr, err := promParser.ParseExpr(q)
	if err != nil {
		return false
	}
	found := false
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		if c, ok := n.(*parser.Call); ok && (c.Func.Name == "rate" || c.Func.Name == "irate") {
			found = true
		}
		return nil
	})
	return found
}

// checkQuery parses a query template and says what is wrong with it in
// words meant for the spec's author. A query must give an instant vector or
// a scalar, because the SLO divides them.
func checkQuery(tpl string) error {
	if strings.TrimSpace(tpl) == "" {
		return fmt.Errorf("is empty")
	}
	// {{.window}} becomes a duration of the same length (1000000000s), so
	// the line:column in a parse error points into the query as written.
	sameLength := windowVar.ReplaceAllStringFunc(tpl, func(m string) string {
		return "1" + strings.Repeat("0", len(m)-2) + "s"
	})
	expr, err := promParser.ParseExpr(sameLength)
	if err != nil {
		msg := firstLine(err.Error())
		if strings.Contains(msg, "unknown function") {
			// Sloth's VictoriaMetrics example writes MetricsQL.
			msg += " (PromQL has no such function; MetricsQL and other dialects are not read)"
		}
		return fmt.Errorf("is not valid PromQL: %s", msg)
	}
	if t := expr.Type(); t != parser.ValueTypeVector && t != parser.ValueTypeScalar {
		return fmt.Errorf("must give an instant vector or a scalar, got a %s", t)
	}
	return nil
}

// checkVector says why q (which has no {{.window}}) cannot be wrapped in a
// subquery: only an instant vector can be.
func checkVector(q string) error {
	expr, err := promParser.ParseExpr(q)
	if err != nil {
		return fmt.Errorf("is not valid PromQL: %s", firstLine(err.Error()))
	}
	if t := expr.Type(); t != parser.ValueTypeVector {
		return fmt.Errorf("must give an instant vector, got a %s", t)
	}
	return nil
}

// checkMatchers parses label matchers written without braces.
func checkMatchers(m string) error {
	if strings.TrimSpace(m) == "" {
		return nil
	}
	if _, err := promParser.ParseMetricSelector("{" + m + "}"); err != nil {
		return fmt.Errorf("are not valid label matchers: %s", firstLine(err.Error()))
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
