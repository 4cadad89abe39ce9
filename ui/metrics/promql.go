package metrics

import (
	"strings"
	"unicode/utf8"
)

// promqlWords are PromQL's keywords and aggregation operators: words that
// stand where a metric name could but are not one.
var promqlWords = map[string]bool{
	"and": true, "or": true, "unless": true, "by": true, "without": true, "on": true, "ignoring": true,
	"group_left": true, "group_right": true, "offset": true, "bool": true, "atan2": true,
	"sum": true, "avg": true, "min": true, "max": true, "count": true, "group": true, "stddev": true,
	"stdvar": true, "topk": true, "bottomk": true, "quantile": true, "count_values": true,
	"inf": true, "nan": true, "start": true, "end": true,
}

// metricNames returns the metric names a PromQL expression selects by
// bare name (`rate(foo_total[5m])` gives foo_total), in order of first
// appearance. It is a lexer, not a parser: names given only as
// {__name__=...} are not found, and an expression that does not parse
// still gives its likely names. The pane uses them to say "metric X not
// found" instead of a bare "no data".
func metricNames(expr string) []string {
	var out []string
	seen := map[string]bool{}
	skipList := false // the next (...) is a label list: by (le), on (a, b)
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(expr, i)
		case c == '#': // a comment runs to the end of the line
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case c == '{':
			i = skipTo(expr, i, '}')
		case c == '[':
			i = skipTo(expr, i, ']')
		case c == '(' && skipList:
			i = skipTo(expr, i, ')')
			skipList = false
		case isIdentStart(c):
			j := i + 1
			for j < len(expr) && isIdent(expr[j]) {
				j++
			}
			word := expr[i:j]
			i = j
			lw := strings.ToLower(word)
			switch lw {
			case "by", "without", "on", "ignoring", "group_left", "group_right":
				skipList = true
				continue
			case "offset", "@":
				// The duration after offset starts with a digit; the
				// number branch skips it.
				continue
			}
			if promqlWords[lw] {
				continue
			}
			k := i
			for k < len(expr) && (expr[k] == ' ' || expr[k] == '\t' || expr[k] == '\n' || expr[k] == '\r') {
				k++
			}
			if k < len(expr) && expr[k] == '(' {
				continue // a function call
			}
			if !seen[word] {
				seen[word] = true
				out = append(out, word)
			}
		case c >= '0' && c <= '9' || c == '.':
			// A number or a duration (1e3, 0x1f, 5m, 1h30m): its letters
			// are not names.
			for i < len(expr) && (isIdent(expr[i]) || expr[i] == '.') {
				i++
			}
		default:
			if c >= utf8.RuneSelf {
				_, n := utf8.DecodeRuneInString(expr[i:])
				i += n
				continue
			}
			i++
		}
	}
	return out
}

func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdent(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

// skipString returns the index after the string literal starting at i.
// Backticks are raw; the other quotes take backslash escapes.
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q != '`':
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s)
}

// skipTo returns the index after the close that ends the group opened at
// i, stepping over strings inside it.
func skipTo(s string, i int, close byte) int {
	open := s[i]
	depth := 0
	for j := i; j < len(s); {
		switch s[j] {
		case '"', '\'', '`':
			j = skipString(s, j)
			continue
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j + 1
			}
		}
		j++
	}
	return len(s)
}
