package logs

import (
	"strconv"
	"strings"
	"time"
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

// logsQLStatsFuncs are the LogsQL stats functions a pipe may begin with
// when the word "stats" is left out.
var logsQLStatsFuncs = []string{"count", "count_empty", "count_uniq", "count_uniq_hash", "sum", "sum_len", "avg", "min",
	"max", "median", "quantile", "rate", "rate_sum", "row_min", "row_max", "row_any", "uniq_values", "values", "histogram"}

// logsQLBehind returns the LogsQL query before its stats pipe.
func logsQLBehind(expr string) (string, bool) {
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '"', '\'', '`':
			i = skipQuote(expr, i)
		case '|':
			if isStatsPipe(expr[i+1:]) {
				base := strings.TrimSpace(expr[:i])
				return base, base != ""
			}
		}
	}
	return "", false
}

// isStatsPipe reports whether a pipe's text starts a stats pipe.
func isStatsPipe(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	word := s
	if i := strings.IndexAny(s, " \t\r\n(,"); i >= 0 {
		word = s[:i]
	}
	switch word {
	case "stats", "by":
		return true
	}
	rest := strings.TrimLeft(s[len(word):], " \t")
	if !strings.HasPrefix(rest, "(") {
		return false
	}
	for _, f := range logsQLStatsFuncs {
		if word == f {
			return true
		}
	}
	return false
}

// skipQuote returns the index of the quote closing the one at i (the last
// index when it never closes); backslash escapes apply inside "" and ''.
func skipQuote(s string, i int) int {
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

// narrowLogQL adds a label filter per series label: `| k="v"` works on
// stream labels and on labels the pipeline extracted.
func narrowLogQL(q string, labels map[string]string) string {
	var b strings.Builder
	b.WriteString(q)
	for _, k := range sortedKeys(labels) {
		b.WriteString(" | " + k + "=" + strconv.Quote(labels[k]))
	}
	return b.String()
}

// narrowLogsQL adds an exact field filter per series label.
func narrowLogsQL(q string, labels map[string]string) string {
	var b strings.Builder
	b.WriteString(q)
	for _, k := range sortedKeys(labels) {
		name := k
		if strings.ContainsAny(k, " \t\"'`|:(),!~=<>{}[]") {
			name = strconv.Quote(k)
		}
		b.WriteString(" | filter " + name + ":=" + strconv.Quote(labels[k]))
	}
	return b.String()
}
