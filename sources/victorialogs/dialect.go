package victorialogs

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/reltui/reltui/sources"
)

// Dialect builds LogsQL. Every value is written as a Go-quoted string,
// which LogsQL decodes with Go's rules, so quotes, backslashes, newlines
// and invalid UTF-8 in a value cannot change the query's structure.
type Dialect struct{}

var _ sources.LogDialect = Dialect{}

// Language is "LogsQL".
func (Dialect) Language() string { return "LogsQL" }

// Stream selects the streams whose stream field label equals value:
// `{app="api"}`; an empty value selects every stream that has the field:
// `{app=~".+"}`.
func (Dialect) Stream(label, value string) string {
	if value == "" {
		return "{" + streamName(label) + `=~".+"}`
	}
	return "{" + streamName(label) + "=" + strconv.Quote(value) + "}"
}

// Contains narrows q to lines whose text contains s anywhere, as a
// substring and case-sensitively (a phrase filter would miss "abc" inside
// "req-abc123"): `q | filter *"s"*`. A filter pipe keeps the meaning
// whatever q holds (OR, pipes); VictoriaLogs folds it into q's filters.
func (Dialect) Contains(q, s string) string {
	if s == "" {
		return q
	}
	return withPipe(q, "filter "+substring(s))
}

// IDQueries returns one query: the selector narrowed to entries whose
// line contains one of ids or whose named fields equal one of them, e.g.
// `{app="api"} (*"req-1"* OR "trace_id":="req-1")`.
func (Dialect) IDQueries(sel string, fields, ids []string) []string {
	ids = distinct(ids)
	if len(ids) == 0 {
		return nil
	}
	terms := make([]string, 0, len(ids)+len(fields))
	for _, id := range ids {
		terms = append(terms, substring(id))
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = strconv.Quote(id)
	}
	for _, f := range distinct(fields) {
		if len(ids) == 1 {
			terms = append(terms, strconv.Quote(f)+":="+quoted[0])
		} else {
			terms = append(terms, strconv.Quote(f)+":in("+strings.Join(quoted, ",")+")")
		}
	}
	filter := "(" + strings.Join(terms, " OR ") + ")"
	sel = strings.TrimSpace(sel)
	switch {
	case sel == "":
		return []string{filter}
	case (Dialect{}).IsSelector(sel):
		return []string{sel + " " + filter}
	}
	return []string{withPipe(sel, "filter "+filter)}
}

// IsSelector reports whether s is a LogsQL stream filter: `{...}` (or
// `_stream:{...}`) holding one or more `name op value` matchers, op one of
// = != =~ !~ in not_in, joined by "," or "or".
func (Dialect) IsSelector(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "_stream:")
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return false
	}
	p := &selScanner{s: s[1 : len(s)-1]}
	return p.matchers()
}

// Example is a short query for hints: `{app=~".+"} error`.
func (d Dialect) Example(label string) string { return d.Stream(label, "") + " error" }

// substring is LogsQL's substring filter on the line, `*"s"*`.
func substring(s string) string { return "*" + strconv.Quote(s) + "*" }

// streamName writes a stream field name bare when LogsQL reads it as a
// name, and quoted otherwise.
func streamName(n string) string {
	if isBareName(n) {
		switch strings.ToLower(n) {
		case "and", "or", "not", "in", "not_in":
		default:
			return n
		}
	}
	return strconv.Quote(n)
}

func isBareName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		switch {
		case r == '_', r < unicode.MaxASCII && unicode.IsLetter(r):
		case i > 0 && (r == '.' || r < unicode.MaxASCII && unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return true
}

func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// selScanner checks the inside of a stream filter.
type selScanner struct {
	s string
	i int
}

func (p *selScanner) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *selScanner) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

// word eats a bare word (letters, digits, _ and .) and returns it.
func (p *selScanner) word() string {
	p.space()
	j := p.i
	for j < len(p.s) {
		r := rune(p.s[j])
		if r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 {
			j++
			continue
		}
		break
	}
	w := p.s[p.i:j]
	p.i = j
	return w
}

// quoted eats one "…", '…' or `…` string.
func (p *selScanner) quoted() bool {
	p.space()
	if p.i >= len(p.s) {
		return false
	}
	q := p.s[p.i]
	if q != '"' && q != '\'' && q != '`' {
		return false
	}
	for j := p.i + 1; j < len(p.s); j++ {
		switch {
		case p.s[j] == '\\' && q != '`':
			j++
		case p.s[j] == q:
			p.i = j + 1
			return true
		}
	}
	return false
}

func (p *selScanner) value() bool {
	return p.quoted() || p.word() != ""
}

func (p *selScanner) matcher() bool {
	if !p.quoted() && p.word() == "" {
		return false
	}
	p.space()
	rest := p.s[p.i:]
	switch {
	case strings.HasPrefix(rest, "=~"), strings.HasPrefix(rest, "!~"), strings.HasPrefix(rest, "!="):
		p.i += 2
		return p.value()
	case strings.HasPrefix(rest, "="):
		p.i++
		return p.value()
	}
	switch strings.ToLower(p.word()) {
	case "in", "not_in":
	default:
		return false
	}
	if !p.eat("(") {
		return false
	}
	for {
		if !p.value() {
			return false
		}
		if p.eat(")") {
			return true
		}
		if !p.eat(",") {
			return false
		}
	}
}

func (p *selScanner) matchers() bool {
	for {
		if !p.matcher() {
			return false
		}
		p.space()
		if p.i == len(p.s) {
			return true
		}
		if p.eat(",") {
			continue
		}
		save := p.i
		if w := p.word(); strings.EqualFold(w, "or") {
			continue
		}
		p.i = save
		return false
	}
}
