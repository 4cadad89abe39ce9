package victorialogs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// lineReader reads the JSON lines of an answer, at most max bytes each.
// A longer line is skipped whole and counted, so that one huge row costs a
// warning, not the query.
type lineReader struct {
	r       *bufio.Reader
	max     int
	buf     []byte
	skipped int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next non-blank line without its line break. The slice
// is valid until the next call. It returns io.EOF after the last line.
func (lr *lineReader) next() ([]byte, error) {
	for {
		lr.buf = lr.buf[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = lr.r.ReadSlice('\n')
			if !tooLong {
				if len(lr.buf)+len(chunk) > lr.max+2 { // +2 for "\r\n"
					tooLong = true
					lr.buf = lr.buf[:0]
				} else {
					lr.buf = append(lr.buf, chunk...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if tooLong {
			lr.skipped++
		} else if line := bytes.TrimRight(lr.buf, "\r\n"); len(bytes.TrimSpace(line)) > 0 {
			if len(line) > lr.max {
				lr.skipped++
			} else {
				return line, nil
			}
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
}

// skippedWarning says how many rows were too long to read.
func skippedWarning(n, max int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d entries longer than %d bytes were skipped", n, max)
}

// errNoTime is a row without _time: the query dropped it (`| fields`
// without _time) or is a stats query, neither of which is a log query.
var errNoTime = errors.New("an entry has no _time field: a log query must keep _time (stats queries are not log queries)")

// notJSON is a line of a 2xx answer that is not a JSON object:
// VictoriaLogs' way of reporting an error after the answer began.
type notJSON struct{ line string }

func (e *notJSON) Error() string { return "not a JSON row: " + e.line }

// decodeEntry converts one JSON row into an entry. in shares label maps
// between the entries of one stream.
func decodeEntry(line []byte, in *interner) (sources.LogEntry, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return sources.LogEntry{}, &notJSON{line: string(line)}
	}
	if e, ok := decodeFast(line, in); ok {
		return e, nil
	}
	return decodeSlow(line, in)
}

// decodeSlow is decodeEntry for any row: it goes through a map of every
// field, so it reads what decodeFast declines (non-string values, bad
// times, unreadable streams) and reports every error. It defines the
// behaviour that decodeFast must match.
func decodeSlow(line []byte, in *interner) (sources.LogEntry, error) {
	fields, err := decodeRow(line)
	if err != nil {
		return sources.LogEntry{}, err
	}
	ts, ok := fields["_time"]
	if !ok {
		return sources.LogEntry{}, errNoTime
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return sources.LogEntry{}, fmt.Errorf("_time %q: %w", cut(ts, 64), err)
	}
	e := sources.LogEntry{Time: t, Line: fields["_msg"]}
	raw, hasStream := fields["_stream"]
	var meta map[string]string
	if hasStream {
		ls, err := in.get(raw)
		if err != nil {
			// Keep the entry and its stream text rather than lose it.
			meta = map[string]string{"_stream": raw}
			ls = map[string]string{}
		}
		e.Labels = ls
	} else {
		e.Labels = in.empty()
	}
	for k, v := range fields {
		switch k {
		case "_time", "_msg", "_stream", "_stream_id":
			continue
		}
		if v == "" {
			continue // VictoriaLogs treats an empty field as an absent one
		}
		if lv, isLabel := e.Labels[k]; isLabel && lv == v {
			continue // VictoriaLogs repeats stream fields as fields
		}
		if meta == nil {
			meta = make(map[string]string, len(fields)-len(e.Labels))
		}
		meta[k] = v
	}
	e.Metadata = meta
	return e, nil
}

// decodeRow reads a JSON object into strings. VictoriaLogs writes every
// value as a string; a proxy or another implementation might not, so
// other JSON values are kept in their JSON text.
func decodeRow(line []byte) (map[string]string, error) {
	var fast map[string]string
	if err := json.Unmarshal(line, &fast); err == nil {
		if fast == nil {
			return nil, errors.New("row is null")
		}
		return fast, nil
	}
	var slow map[string]json.RawMessage
	if err := json.Unmarshal(line, &slow); err != nil {
		return nil, err
	}
	if slow == nil {
		return nil, errors.New("row is null")
	}
	out := make(map[string]string, len(slow))
	for k, raw := range slow {
		var s string
		switch {
		case string(raw) == "null":
			// JSON null unmarshals into a string without error.
		case json.Unmarshal(raw, &s) == nil:
			out[k] = s
		default:
			var b bytes.Buffer
			if json.Compact(&b, raw) != nil {
				return nil, fmt.Errorf("field %q is not valid JSON", cut(k, 64))
			}
			out[k] = b.String()
		}
	}
	return out, nil
}

// parseStream reads VictoriaLogs' _stream value, `{name="value",...}`:
// names are written raw and values Go-quoted (strconv.Quote), so a name
// runs to the first `="` and a value is one quoted string. `{}` is the
// empty stream. A later duplicate name wins.
func parseStream(s string) (map[string]string, error) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, errors.New("stream is not enclosed in {}")
	}
	out := map[string]string{}
	rest := s[1:]
	if rest == "}" {
		return out, nil
	}
	for {
		eq := strings.Index(rest, `="`)
		if eq <= 0 {
			return nil, errors.New(`stream field has no name or no ="value"`)
		}
		name := rest[:eq]
		q, err := strconv.QuotedPrefix(rest[eq+1:])
		if err != nil {
			return nil, fmt.Errorf("stream field %q: bad quoted value", cut(name, 64))
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return nil, fmt.Errorf("stream field %q: bad quoted value", cut(name, 64))
		}
		out[name] = v
		rest = rest[eq+1+len(q):]
		switch {
		case rest == "}":
			return out, nil
		case strings.HasPrefix(rest, ","):
			rest = rest[1:]
		default:
			return nil, errors.New("stream field not followed by , or }")
		}
	}
}

// formatStream writes labels the way VictoriaLogs writes _stream, names
// sorted; tests and fuzzing check parseStream against it.
func formatStream(ls map[string]string) string {
	names := make([]string, 0, len(ls))
	for k := range ls {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(ls[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// maxInterned bounds an interner that lives as long as a tail does.
const maxInterned = 10000

// interner makes the entries of one stream share one labels map, keyed by
// the raw _stream text, so each distinct stream is parsed once.
type interner struct {
	mu    sync.Mutex
	byRaw map[string]map[string]string
	bad   map[string]bool
	none  map[string]string
}

func newInterner() *interner {
	return &interner{byRaw: map[string]map[string]string{}, bad: map[string]bool{}, none: map[string]string{}}
}

// getBytes is get for a stream still in the row's bytes: a stream already
// seen, which is nearly every row's, costs no copy into a string.
func (in *interner) getBytes(raw []byte) (map[string]string, error) {
	in.mu.Lock()
	m, ok := in.byRaw[string(raw)]
	in.mu.Unlock()
	if ok {
		return m, nil
	}
	return in.get(string(raw))
}

func (in *interner) get(raw string) (map[string]string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if m, ok := in.byRaw[raw]; ok {
		return m, nil
	}
	if in.bad[raw] {
		return nil, errors.New("unparseable stream")
	}
	if len(in.byRaw)+len(in.bad) >= maxInterned {
		clear(in.byRaw)
		clear(in.bad)
	}
	m, err := parseStream(raw)
	if err != nil {
		in.bad[raw] = true
		return nil, err
	}
	in.byRaw[raw] = m
	return m, nil
}

// empty is the shared labels map of entries without a _stream.
func (in *interner) empty() map[string]string { return in.none }

// readEntries decodes rows from r until EOF or until max entries (0: no
// limit), handing them to fn in batches of up to batch. It reports how
// many entries it decoded and how many rows were too long.
func readEntries(r io.Reader, maxLine, max, batch int, in *interner, fn func([]sources.LogEntry) error) (n, skipped int, err error) {
	lr := newLineReader(r, maxLine)
	var es []sources.LogEntry
	flush := func() error {
		if len(es) == 0 {
			return nil
		}
		out := es
		es = nil
		return fn(out)
	}
	for max <= 0 || n < max {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, lr.skipped, err
		}
		e, err := decodeEntry(line, in)
		if err != nil {
			return n, lr.skipped, err
		}
		es = append(es, e)
		n++
		if len(es) >= batch {
			if err := flush(); err != nil {
				return n, lr.skipped, err
			}
		}
	}
	return n, lr.skipped, flush()
}
