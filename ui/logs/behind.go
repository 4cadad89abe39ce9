package logs

import (
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/sources/victorialogs"
)

// The lines behind a point of a metric query's chart are the log query
// inside the metric query, narrowed to the series' labels, over the
// bucket the point counts. Only the shapes people type are understood;
// anything else says so instead of guessing.

// logQLBehind finds the log query inside a LogQL range aggregation (the
// selector and pipeline before the range, e.g. `{app="x"} |= "err"` in
// `sum by (level) (count_over_time({app="x"} |= "err" [5m]))`), drops an
// unwrap stage (a log query cannot have one), and returns it with the
// range.
func logQLBehind(expr string) (string, time.Duration, bool) {
	start, end := -1, -1
	for i := 0; i < len(expr) && end < 0; i++ {
		switch expr[i] {
		case '"', '`':
			i = skipQuote(expr, i)
		case '{':
			if start < 0 {
				start = i
			}
		case '[':
			if start >= 0 {
				end = i
			}
		}
	}
	if start < 0 || end < 0 {
		return "", 0, false
	}
	close := strings.IndexByte(expr[end:], ']')
	if close < 0 {
		return "", 0, false
	}
	rng, err := time.ParseDuration(strings.TrimSpace(expr[end+1 : end+close]))
	if err != nil || rng <= 0 {
		return "", 0, false
	}
	inner := expr[start:end]
	if i := indexOutsideQuotes(inner, "| unwrap"); i >= 0 {
		inner = inner[:i]
	}
	inner = strings.TrimSpace(inner)
	return inner, rng, inner != ""
}

// logsQLBehind returns the LogsQL query before its stats pipe.
func logsQLBehind(expr string) (string, bool) {
	i := victorialogs.StatsPipeAt(expr)
	if i < 0 {
		return "", false
	}
	base := strings.TrimSpace(expr[:i])
	return base, base != ""
}

// skipQuote returns the index of the quote closing the one at i (the last
// index when it never closes). LogQL's strings are Go's string literals
// (Loki reads them with Go's scanner), so the standard library finds the
// end; a string Go cannot read, which Loki would have refused, runs to
// the end of the query.
func skipQuote(s string, i int) int {
	q, err := strconv.QuotedPrefix(s[i:])
	if err != nil {
		return len(s) - 1
	}
	return i + len(q) - 1
}

// indexOutsideQuotes finds sub in s, ignoring quoted text.
func indexOutsideQuotes(s, sub string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '`':
			i = skipQuote(s, i)
		default:
			if strings.HasPrefix(s[i:], sub) {
				return i
			}
		}
	}
	return -1
}

// internalLabel reports whether a series label is the backend's own, not
// a field of the lines: VictoriaLogs names each stats result in __name__.
func internalLabel(k string) bool { return strings.HasPrefix(k, "__") }

// narrowLogQL adds a label filter per series label: `| k="v"` works on
// stream labels and on labels the pipeline extracted.
func narrowLogQL(q string, labels map[string]string) string {
	return narrow(q, labels, func(k, v string) string { return " | " + k + "=" + strconv.Quote(v) })
}

// narrowLogsQL adds an exact field filter per series label.
func narrowLogsQL(q string, labels map[string]string) string {
	return narrow(q, labels, func(k, v string) string {
		if strings.ContainsAny(k, " \t\"'`|:(),!~=<>{}[]") {
			k = strconv.Quote(k)
		}
		return " | filter " + k + ":=" + strconv.Quote(v)
	})
}

// narrow appends filter(k, v) to q for each label that is not the
// backend's own, in key order.
func narrow(q string, labels map[string]string, filter func(k, v string) string) string {
	var b strings.Builder
	b.WriteString(q)
	for _, k := range sortedKeys(labels) {
		if !internalLabel(k) {
			b.WriteString(filter(k, labels[k]))
		}
	}
	return b.String()
}
