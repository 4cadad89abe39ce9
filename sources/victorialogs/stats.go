package victorialogs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/sanitize"
)

// statsQueryRangePath answers a query with a `| stats` pipe as a
// Prometheus-style matrix: one series per group and result name.
const statsQueryRangePath = "/select/logsql/stats_query_range"

// statsQueryPath answers a query with a `| stats` pipe at one instant, as
// a Prometheus-style vector.
const statsQueryPath = "/select/logsql/stats_query"

var _ sources.LogMetricsInstant = (*Client)(nil)

// MetricInstant runs a LogsQL query with a `| stats` pipe through
// stats_query at one instant: the stats of the lines the query selects up
// to at (zero means now). Each series has one sample.
func (c *Client) MetricInstant(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	const op = "stats_query"
	if !IsMetricQuery(expr) {
		return nil, nil, badQuery(op, "this is a log query; an instant query needs a | stats pipe")
	}
	if at.IsZero() {
		at = time.Now()
	}
	form := url.Values{"query": {expr}, "time": {timeArg(at)}}
	ss, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]sources.Series, error) {
		var raw json.RawMessage
		if err := c.getJSON(ctx, op, statsQueryPath, form, expr, &raw); err != nil {
			return nil, err
		}
		ss, err := decodeStatsAs(raw, "vector")
		if err != nil {
			return nil, badResponse(op, err)
		}
		return ss, nil
	})
	return ss, nil, err
}

var _ sources.LogMetrics = (*Client)(nil)

// IsMetricQuery reports whether expr has a `| stats` pipe, the queries
// stats_query_range runs. VictoriaLogs lets the word "stats" be left out
// (`| count()`, `| by (level) count()`), so a pipe that begins with "by"
// or with a stats function call counts too. Quoted text and "#" comments
// are skipped.
func (c *Client) IsMetricQuery(expr string) bool { return IsMetricQuery(expr) }

// IsMetricQuery is Client.IsMetricQuery without a client.
func IsMetricQuery(expr string) bool { return StatsPipeAt(expr) >= 0 }

// StatsPipeAt returns the index in expr of the "|" that begins its stats
// pipe, or -1 when it has none: expr[:i] is the log query whose lines
// the stats count (the Logs pane shows them for a point of the chart).
func StatsPipeAt(expr string) int {
	for i := 0; i < len(expr); i++ {
		switch ch := expr[i]; ch {
		case '"', '\'', '`':
			i = skipQuoted(expr, i)
		case '#':
			nl := strings.IndexByte(expr[i:], '\n')
			if nl < 0 {
				return -1
			}
			i += nl
		case '|':
			if isStatsPipe(expr[i+1:]) {
				return i
			}
		}
	}
	return -1
}

// skipQuoted returns the index of the quote that closes the one at i (the
// last index when it is never closed). Only "" and ” quotes have escapes.
func skipQuoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q != '`':
			j++
		case s[j] == q:
			return j
		}
	}
	return len(s) - 1
}

// statsFuncs are LogsQL's stats functions, which may begin a stats pipe
// written without the word "stats".
var statsFuncs = map[string]bool{
	"avg": true, "count": true, "count_empty": true, "count_uniq": true, "count_uniq_hash": true,
	"histogram": true, "json_values": true, "max": true, "median": true, "min": true,
	"quantile": true, "rate": true, "rate_sum": true, "row_any": true, "row_max": true,
	"row_min": true, "sum": true, "sum_len": true, "uniq_values": true, "values": true,
}

// isStatsPipe reads the start of the pipe after a "|".
func isStatsPipe(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	word, rest := strings.ToLower(s[:n]), strings.TrimLeft(s[n:], " \t\r\n")
	switch {
	case word == "stats":
		return true
	case word == "by":
		return strings.HasPrefix(rest, "(")
	}
	return statsFuncs[word] && strings.HasPrefix(rest, "(")
}

// MetricRange runs a LogsQL query with a `| stats` pipe over [from, to)
// through stats_query_range, one point per step (0: about 250 points).
// Windows longer than MaxQueryLength are split on step boundaries and the
// series joined. VictoriaLogs stamps each point with the start of its
// bucket.
func (c *Client) MetricRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	const op = "stats_query_range"
	if strings.TrimSpace(expr) == "" {
		return nil, nil, badQuery(op, "empty query")
	}
	if step < 0 {
		return nil, nil, badQuery(op, "step must not be negative")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, nil, err
	}
	if step == 0 {
		step = sources.DefaultMetricStep(from, to)
	}
	step = max(step.Truncate(time.Millisecond), time.Millisecond)
	m := newSeriesMerger()
	for _, win := range statsWindows(from, to, c.maxLen, step) {
		form := url.Values{"query": {expr}, "start": {timeArg(win.from)}, "end": {timeArg(win.to)},
			"step": {strconv.FormatInt(step.Milliseconds(), 10) + "ms"}}
		ss, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]sources.Series, error) {
			var raw json.RawMessage
			if err := c.getJSON(ctx, op, statsQueryRangePath, form, expr, &raw); err != nil {
				return nil, err
			}
			ss, err := decodeStats(raw)
			if err != nil {
				return nil, badResponse(op, err)
			}
			return ss, nil
		})
		if err != nil {
			return nil, nil, err
		}
		m.add(ss)
	}
	return m.result(), nil, nil
}

// statsWindows splits [from, to) like splitWindows, oldest first, with
// every cut on a multiple of step since the Unix epoch, where VictoriaLogs
// puts its bucket edges, so no bucket is counted in two windows.
func statsWindows(from, to time.Time, maxLen, step time.Duration) []window {
	if maxLen <= 0 || to.Sub(from) <= maxLen {
		return []window{{from, to}}
	}
	span := max(maxLen.Truncate(step), step)
	var ws []window
	for s := from; s.Before(to); {
		e := s.Add(span)
		if r := time.Duration(e.UnixNano() % int64(step)); r != 0 && e.Sub(s) > r {
			e = e.Add(-r)
		}
		e = minTime(e, to)
		ws = append(ws, window{s, e})
		s = e
	}
	return ws
}

// maxStatsSeries bounds the series one answer may hold: a stats pipe
// grouped by an unbounded field (a trace id) would otherwise draw
// thousands of lines no one can read.
const maxStatsSeries = 10000

// statsAnswer is stats_query_range's answer.
type statsAnswer struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string    `json:"metric"`
			Values [][2]json.RawMessage `json:"values"`
			Value  *[2]json.RawMessage  `json:"value"` // stats_query's vector
		} `json:"result"`
	} `json:"data"`
}

// decodeStats reads a stats_query_range answer:
// {"status":"success","data":{"resultType":"matrix","result":[{"metric":
// {...},"values":[[<unix seconds>,"<value>"],...]}]}}. Points come back in
// time order whatever order they were sent in.
func decodeStats(body []byte) ([]sources.Series, error) { return decodeStatsAs(body, "matrix") }

// decodeStatsAs reads an answer of resultType kind: "matrix", or
// "vector" (stats_query's, one "value" per series instead of "values").
func decodeStatsAs(body []byte, kind string) ([]sources.Series, error) {
	var a statsAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, err
	}
	if a.Status == "error" {
		return nil, fmt.Errorf("VictoriaLogs answered an error: %s", cut(sanitize.Line(a.Error), 200))
	}
	if a.Data.ResultType != kind && !(a.Data.ResultType == "" && len(a.Data.Result) == 0) {
		return nil, fmt.Errorf("answer is not a %s (resultType %q)", kind, cut(sanitize.Line(a.Data.ResultType), 40))
	}
	if len(a.Data.Result) > maxStatsSeries {
		return nil, fmt.Errorf("answer has %d series, more than %d", len(a.Data.Result), maxStatsSeries)
	}
	out := make([]sources.Series, 0, len(a.Data.Result))
	for _, r := range a.Data.Result {
		s := sources.Series{Labels: r.Metric, Samples: make([]sources.Sample, 0, len(r.Values))}
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		points := r.Values
		if kind == "vector" && r.Value != nil {
			points = [][2]json.RawMessage{*r.Value}
		}
		for _, v := range points {
			t, err := statsTime(v[0])
			if err != nil {
				return nil, err
			}
			f, err := statsValue(v[1])
			if err != nil {
				return nil, err
			}
			s.Samples = append(s.Samples, sources.Sample{Time: t, Value: f})
		}
		slices.SortStableFunc(s.Samples, func(a, b sources.Sample) int { return a.Time.Compare(b.Time) })
		out = append(out, s)
	}
	return out, nil
}

// statsTime reads a point's time: Unix seconds, a JSON number that may
// have a fraction.
func statsTime(raw json.RawMessage) (time.Time, error) {
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
		return time.Time{}, fmt.Errorf("bad point time %q", cut(sanitize.Line(string(raw)), 40))
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
}

// statsValue reads a point's value: a JSON string holding a float ("NaN"
// and "+Inf" included), or, leniently, a bare number.
func statsValue(raw json.RawMessage) (float64, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		s = string(raw)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, errors.New("bad point value " + strconv.Quote(cut(sanitize.Line(s), 40)))
	}
	return f, nil
}

// seriesMerger joins the series of split windows by label set.
type seriesMerger struct {
	order []string
	by    map[string]*sources.Series
}

func newSeriesMerger() *seriesMerger { return &seriesMerger{by: map[string]*sources.Series{}} }

func (m *seriesMerger) add(ss []sources.Series) {
	for _, s := range ss {
		k := labelKey(s.Labels)
		if have, ok := m.by[k]; ok {
			have.Samples = append(have.Samples, s.Samples...)
			continue
		}
		s := s
		m.by[k] = &s
		m.order = append(m.order, k)
	}
}

func (m *seriesMerger) result() []sources.Series {
	out := make([]sources.Series, 0, len(m.order))
	for _, k := range m.order {
		out = append(out, *m.by[k])
	}
	return out
}

// labelKey is a label set's identity: its pairs sorted, quoted.
func labelKey(ls map[string]string) string {
	keys := make([]string, 0, len(ls))
	for k := range ls {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(ls[k]))
		b.WriteByte(',')
	}
	return b.String()
}
