package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/sources/sanitize"
)

// kv is one field of a parsed line.
type kv struct{ k, v string }

// detailContent renders one row for the detail view: time, level, labels,
// structured metadata, then the line as pretty JSON, as logfmt fields, or
// as text. Every string from the entry is sanitized here, since the detail
// view works from the original, not the list's prepared text. metaTitle
// names the entry's fields the way the backend does: Loki's structured
// metadata, VictoriaLogs' fields.
func detailContent(st *Styles, r *row, loc *time.Location, width int, metaTitle string) string {
	width = max(20, width)
	var b strings.Builder
	field := func(k, v string, keyW int) {
		pad := max(0, keyW-ansi.StringWidth(k))
		b.WriteString("  " + st.Key.Render(k) + strings.Repeat(" ", pad+2))
		b.WriteString(v + "\n")
	}
	section := func(title string) { b.WriteString("\n" + st.Title.Render(title) + "\n") }

	b.WriteString(st.Key.Render("time   ") + r.e.Time.In(loc).Format(time.RFC3339Nano) + "\n")
	b.WriteString(st.Key.Render("level  ") + st.level(r.level).Render(r.level.String()) + "\n")

	section("Labels")
	writeMap(r.e.Labels, field)
	section(metaTitle)
	writeMap(r.e.Metadata, field)

	line := r.e.Line
	if pretty, ok := prettyJSON(line); ok {
		section("JSON")
		b.WriteString(sanitize.Text(pretty) + "\n")
	} else if fields, ok := parseLogfmt(line); ok {
		section("Fields (logfmt)")
		keyW := 0
		for _, f := range fields {
			keyW = max(keyW, ansi.StringWidth(sanitize.Line(f.k)))
		}
		keyW = min(keyW, 24)
		for _, f := range fields {
			field(sanitize.Line(f.k), sanitize.Line(f.v), keyW)
		}
	}
	section("Line")
	b.WriteString(sanitize.Text(line) + "\n")
	return ansi.Wrap(b.String(), width, "")
}

func writeMap(m map[string]string, field func(k, v string, keyW int)) {
	if len(m) == 0 {
		field("(none)", "", 0)
		return
	}
	keys := sortedKeys(m)
	keyW := 0
	for _, k := range keys {
		keyW = max(keyW, ansi.StringWidth(sanitize.Line(k)))
	}
	keyW = min(keyW, 24)
	for _, k := range keys {
		field(sanitize.Line(k), sanitize.Line(m[k]), keyW)
	}
}

// prettyJSON indents a line that is one JSON object or array. Field order
// is kept, which a decode into a map would lose.
func prettyJSON(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '{' && t[0] != '[') || !json.Valid([]byte(t)) {
		return "", false
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(t), "", "  "); err != nil {
		return "", false
	}
	return out.String(), true
}

// parseLogfmt reads key=value pairs, with "quoted values" and \" escapes.
// It accepts the line only when every token is a pair or a bare key and at
// least two are pairs, so that prose with an "=" in it stays prose.
func parseLogfmt(s string) ([]kv, bool) {
	var out []kv
	pairs := 0
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '"' {
			i++
		}
		key := s[start:i]
		if key == "" {
			return nil, false
		}
		if i >= len(s) || s[i] == ' ' {
			out = append(out, kv{k: key})
			continue
		}
		if s[i] == '"' {
			return nil, false
		}
		i++ // '='
		var val string
		if i < len(s) && s[i] == '"' {
			v, n, ok := unquoteLogfmt(s[i:])
			if !ok {
				return nil, false
			}
			val, i = v, i+n
		} else {
			vs := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			val = s[vs:i]
		}
		out = append(out, kv{k: key, v: val})
		pairs++
	}
	return out, pairs >= 2
}

// unquoteLogfmt reads a quoted value at the start of s and returns it and
// the bytes consumed.
func unquoteLogfmt(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(s[i])
				}
			}
		case '"':
			return b.String(), i + 1, true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, false
}

// detailTitle is the detail view's first line.
func detailTitle(pos, total int) string {
	return fmt.Sprintf("line %s of %s", commas(pos+1), commas(total))
}

// commas formats n with thousands separators.
func commas(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
