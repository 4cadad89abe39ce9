package traces

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/pane"
)

// The search form's fields, in tab order.
const (
	fieldService = iota
	fieldOperation
	fieldTags
	fieldMin
	fieldMax
	fieldLimit
	numFields
)

var fieldLabels = [numFields]string{"service", "operation", "tags", "min duration", "max duration", "limit"}

// fieldHints are the placeholders. They start with "e.g." or say
// "(default)", so that without colour they cannot be taken for values.
var fieldHints = [numFields]string{
	"e.g. api (required)",
	"e.g. POST /v1/charge (default any)",
	"e.g. http.status_code=500 request_id=abc",
	"e.g. 500ms",
	"e.g. 5s",
	"20 (default)",
}

// form is the search form: one text input per field.
type form struct {
	inputs [numFields]textinput.Model
	focus  int
}

func newForm(r *lipgloss.Renderer, st Styles) form {
	var f form
	for i := range f.inputs {
		f.inputs[i] = pane.NewInput(r, pane.InputStyle{Prompt: st.Prompt, Text: st.Query, Placeholder: st.Muted}, "", fieldHints[i], 1024)
	}
	return f
}

func (f *form) focusField(i int) {
	f.inputs[f.focus].Blur()
	f.focus = (i + numFields) % numFields
	f.inputs[f.focus].Focus()
	f.inputs[f.focus].CursorEnd()
}

func (f *form) blur() { f.inputs[f.focus].Blur() }

func (f *form) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

func (f *form) setWidth(w int) {
	for i := range f.inputs {
		f.inputs[i].Width = max(1, w)
	}
}

// query turns the form into a search. Errors name the field.
func (f *form) query() (jaeger.FindQuery, error) {
	return parseForm(f.value(fieldService), f.value(fieldOperation), f.value(fieldTags),
		f.value(fieldMin), f.value(fieldMax), f.value(fieldLimit))
}

// maxLimit keeps one search from asking for more traces than anyone reads.
const maxLimit = 1000

// parseForm is the form's parser, separate so it can be fuzzed.
func parseForm(service, operation, tags, minD, maxD, limit string) (jaeger.FindQuery, error) {
	q := jaeger.FindQuery{Service: strings.TrimSpace(service), Operation: strings.TrimSpace(operation)}
	if q.Service == "" {
		return q, errors.New("service: a service name is required (Jaeger cannot search without one)")
	}
	var err error
	if q.Tags, err = parseTags(tags); err != nil {
		return q, fmt.Errorf("tags: %w", err)
	}
	if q.MinDuration, err = parseDur(minD); err != nil {
		return q, fmt.Errorf("min duration: %w", err)
	}
	if q.MaxDuration, err = parseDur(maxD); err != nil {
		return q, fmt.Errorf("max duration: %w", err)
	}
	if q.MaxDuration > 0 && q.MinDuration > q.MaxDuration {
		return q, errors.New("min duration is greater than max duration")
	}
	if limit = strings.TrimSpace(limit); limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > maxLimit {
			return q, fmt.Errorf("limit: want a whole number from 1 to %d", maxLimit)
		}
		q.Limit = n
	}
	return q, nil
}

func parseDur(s string) (time.Duration, error) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, nil
	}
	return timespec.ParseDuration(s)
}

// parseTags reads `k=v k2="v w"` pairs: space-separated, values may be
// double-quoted (Go escapes) to hold spaces.
func parseTags(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	out := map[string]string{}
	for s != "" {
		eq := strings.IndexByte(s, '=')
		sp := strings.IndexAny(s, " \t")
		if eq < 0 || (sp >= 0 && sp < eq) {
			tok := s
			if sp >= 0 {
				tok = s[:sp]
			}
			return nil, fmt.Errorf("%q is not key=value", tok)
		}
		k := s[:eq]
		if k == "" {
			return nil, errors.New("a tag has no name before =")
		}
		rest := s[eq+1:]
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("the value of %q has an unclosed quote", k)
			}
			if v, err = strconv.Unquote(q); err != nil {
				return nil, fmt.Errorf("the value of %q: %v", k, err)
			}
			rest = rest[len(q):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				return nil, fmt.Errorf("the value of %q must be followed by a space", k)
			}
		} else {
			end := strings.IndexAny(rest, " \t")
			if end < 0 {
				end = len(rest)
			}
			v, rest = rest[:end], rest[end:]
		}
		out[k] = v
		s = strings.TrimLeft(rest, " \t")
	}
	return out, nil
}

// set fills the form from a search, for pivots.
func (f *form) set(q jaeger.FindQuery) {
	f.inputs[fieldService].SetValue(q.Service)
	f.inputs[fieldOperation].SetValue(q.Operation)
	f.inputs[fieldTags].SetValue(formatTags(q.Tags))
	f.inputs[fieldMin].SetValue(durText(q.MinDuration))
	f.inputs[fieldMax].SetValue(durText(q.MaxDuration))
	if q.Limit > 0 {
		f.inputs[fieldLimit].SetValue(strconv.Itoa(q.Limit))
	} else {
		f.inputs[fieldLimit].SetValue("")
	}
}

func durText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.String()
}

// formatTags writes tags back in the form parseTags reads, keys sorted.
func formatTags(tags map[string]string) string {
	parts := make([]string, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		if v == "" || strings.HasPrefix(v, `"`) || strings.IndexFunc(v, func(r rune) bool {
			return unicode.IsSpace(r) || !unicode.IsPrint(r)
		}) >= 0 {
			v = strconv.Quote(v)
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}
