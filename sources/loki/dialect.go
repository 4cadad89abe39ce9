package loki

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/reltui/reltui/sources"
)

// Dialect writes LogQL. The zero value is ready to use.
type Dialect struct{}

var _ sources.LogDialect = Dialect{}

// Backend names the backend kind.
func (c *Client) Backend() string { return backend }

// Dialect returns the LogQL dialect.
func (c *Client) Dialect() sources.LogDialect { return Dialect{} }

var _ sources.LogBackend = (*Client)(nil)

// Language is "LogQL".
func (Dialect) Language() string { return "LogQL" }

// Stream is `{label="value"}`, or `{label=~".+"}` for an empty value.
func (Dialect) Stream(label, value string) string {
	if value == "" {
		return "{" + label + `=~".+"}`
	}
	return "{" + label + "=" + strconv.Quote(value) + "}"
}

// Contains is `q |= "s"`.
func (Dialect) Contains(q, s string) string { return q + " |= " + strconv.Quote(s) }

// IDQueries is a line filter, `sel |= "id"` (`sel |~ "id1|id2"` for
// several ids), then, when fields are named, a label filter over them,
// `sel | k1="id" or k2="id"`, which LogQL applies to structured metadata
// and parsed labels alike. LogQL cannot OR a line filter with a label
// filter, hence two queries. Field names that are not LogQL label names
// are left out, since one would make Loki refuse the whole query.
func (Dialect) IDQueries(sel string, fields, ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	var line string
	if len(ids) == 1 {
		line = sel + " |= " + strconv.Quote(ids[0])
	} else {
		line = sel + " |~ " + strconv.Quote(altRegex(ids))
	}
	parts := make([]string, 0, len(fields))
	for _, k := range fields {
		if !isLabelName(k) {
			continue
		}
		if len(ids) == 1 {
			parts = append(parts, k+"="+strconv.Quote(ids[0]))
		} else {
			parts = append(parts, k+"=~"+strconv.Quote(altRegex(ids)))
		}
	}
	if len(parts) == 0 {
		return []string{line}
	}
	return []string{line, sel + " | " + strings.Join(parts, " or ")}
}

func altRegex(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = regexp.QuoteMeta(id)
	}
	return strings.Join(q, "|")
}

// Example is a selector with a line filter, for hints.
func (d Dialect) Example(label string) string { return d.Contains(d.Stream(label, ""), "error") }

// IsSelector reports whether s is a LogQL stream selector and nothing
// more: `{name op "value", ...}` with op one of = != =~ !~, at least one
// matcher, and, as Loki requires, at least one matcher that cannot match
// an empty value.
func (Dialect) IsSelector(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return false
	}
	p := selParser{s: s[1 : len(s)-1]}
	nonEmpty := false
	for first := true; ; first = false {
		p.space()
		if p.done() {
			return !first && nonEmpty
		}
		if !first && !p.eat(",") {
			return false
		}
		p.space()
		name := p.name()
		p.space()
		op := p.op()
		p.space()
		val, ok := p.str()
		if name == "" || op == "" || !ok {
			return false
		}
		switch op {
		case "=":
			nonEmpty = nonEmpty || val != ""
		case "=~":
			re, err := regexp.Compile("^(?:" + val + ")$")
			if err != nil {
				return false
			}
			nonEmpty = nonEmpty || !re.MatchString("")
		case "!=":
			nonEmpty = nonEmpty || val == ""
		case "!~":
			re, err := regexp.Compile("^(?:" + val + ")$")
			if err != nil {
				return false
			}
			nonEmpty = nonEmpty || re.MatchString("")
		}
	}
}

func isLabelName(s string) bool {
	p := selParser{s: s}
	return p.name() == s && s != ""
}

// selParser reads the inside of a stream selector.
type selParser struct {
	s string
	i int
}

func (p *selParser) done() bool { return p.i >= len(p.s) }

func (p *selParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *selParser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

// name reads [a-zA-Z_][a-zA-Z0-9_]*.
func (p *selParser) name() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (p.i == start || c < '0' || c > '9') {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

func (p *selParser) op() string {
	for _, op := range []string{"=~", "!~", "!=", "="} {
		if p.eat(op) {
			return op
		}
	}
	return ""
}

// str reads a double-quoted (Go escapes) or backquoted string, as LogQL's
// lexer does.
func (p *selParser) str() (string, bool) {
	if p.done() || p.s[p.i] != '"' && p.s[p.i] != '`' {
		return "", false
	}
	q := p.s[p.i]
	for j := p.i + 1; j < len(p.s); j++ {
		switch {
		case q == '"' && p.s[j] == '\\':
			j++
		case p.s[j] == q:
			v, err := strconv.Unquote(p.s[p.i : j+1])
			p.i = j + 1
			return v, err == nil
		}
	}
	return "", false
}
