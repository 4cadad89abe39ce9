package loki

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// This file reads Loki's answers: the JSON of /query and /query_range
// (Loki's HTTP API reference, "Query logs at a single point in time" and
// "Query logs within a range of time"), the tail websocket's messages
// ("Stream logs"), and the text of failed answers. Only encoding/json.

// resultKind is the shape of a query answer.
type resultKind int

const (
	kindNone resultKind = iota
	kindStreams
	kindMatrix
	kindVector
	kindScalar
)

// page is one answer of /query or /query_range in this package's types.
type page struct {
	kind     resultKind
	entries  []sources.LogEntry // sorted in the request's direction
	series   []sources.Series
	warnings []string // sanitized
}

// labelsKey is a canonical, unambiguous rendering of a label set.
func labelsKey(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(m[k]))
		b.WriteByte(',')
	}
	return b.String()
}

// maxInterned bounds an interner that lives as long as a tail does.
const maxInterned = 10000

// labelInterner makes entries of one stream share one labels map, across
// the pages of a walk and the frames of a tail.
type labelInterner struct {
	mu    sync.Mutex
	byKey map[string]map[string]string
}

func newInterner() *labelInterner { return &labelInterner{byKey: map[string]map[string]string{}} }

func (in *labelInterner) get(ls map[string]string) map[string]string {
	if ls == nil {
		ls = map[string]string{}
	}
	if in == nil {
		return ls
	}
	k := labelsKey(ls)
	in.mu.Lock()
	defer in.mu.Unlock()
	if m, ok := in.byKey[k]; ok {
		return m
	}
	if len(in.byKey) >= maxInterned {
		clear(in.byKey)
	}
	in.byKey[k] = ls
	return ls
}

// queryBody is the envelope of a /query or /query_range answer.
type queryBody struct {
	Status   string   `json:"status"`
	Warnings []string `json:"warnings"`
	Error    string   `json:"error"`
	Data     struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// wireStream is one stream of a streams result or a tail message.
type wireStream struct {
	Stream map[string]string `json:"stream"`
	Values []wireEntry       `json:"values"`
}

// wireEntry is [<ns timestamp string>, <line>] or, with structured
// metadata, [ts, line, {...}]. The third element is either categorized,
// {"structuredMetadata":{...},"parsed":{...}} (the answer to the
// X-Loki-Response-Encoding-Flags: categorize-labels request header), or,
// from servers that do not categorize, the structured metadata itself.
type wireEntry struct {
	ts   time.Time
	line string
	meta map[string]string
}

func (e *wireEntry) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	if len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("an entry has %d elements, want 2 or 3", len(parts))
	}
	var ts string
	if err := json.Unmarshal(parts[0], &ts); err != nil {
		return errors.New("an entry's timestamp is not a string")
	}
	ns, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("an entry's timestamp is not nanoseconds since the epoch")
	}
	e.ts = time.Unix(0, ns)
	if err := json.Unmarshal(parts[1], &e.line); err != nil {
		return errors.New("an entry's line is not a string")
	}
	if len(parts) == 3 {
		e.meta, err = decodeEntryMetadata(parts[2])
	}
	return err
}

// decodeEntryMetadata reads an entry's third element. Structured
// metadata wins a clash with a parsed label because it is what the sender
// attached.
func decodeEntryMetadata(b json.RawMessage) (map[string]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return nil, errors.New("an entry's third element is not an object")
	}
	var sm, parsed map[string]string
	plain := map[string]string{}
	for k, v := range obj {
		switch {
		case (k == "structuredMetadata" || k == "parsed") && isJSONObject(v):
			m, err := labelValues(v)
			if err != nil {
				return nil, err
			}
			if k == "parsed" {
				parsed = m
			} else {
				sm = m
			}
		default:
			s, err := labelValue(v)
			if err != nil {
				return nil, err
			}
			plain[k] = s
		}
	}
	out := make(map[string]string, len(plain)+len(sm)+len(parsed))
	for _, m := range []map[string]string{parsed, plain, sm} {
		for k, v := range m {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func isJSONObject(b json.RawMessage) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// labelValues reads {"name": "value", ...}; a number is taken as its text,
// as Loki does.
func labelValues(b json.RawMessage) (map[string]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, errors.New("labels are not an object")
	}
	m := make(map[string]string, len(obj))
	for k, v := range obj {
		s, err := labelValue(v)
		if err != nil {
			return nil, err
		}
		m[k] = s
	}
	return m, nil
}

func labelValue(v json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	return "", errors.New("a label value is neither a string nor a number")
}

// samplePair is Prometheus' [<float seconds>, "<value>"].
type samplePair struct {
	t time.Time
	v float64
}

func (p *samplePair) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	if len(parts) != 2 {
		return fmt.Errorf("a sample has %d elements, want 2", len(parts))
	}
	var ts json.Number
	if err := json.Unmarshal(parts[0], &ts); err != nil {
		return errors.New("a sample's timestamp is not a number")
	}
	t, err := parseSeconds(ts.String())
	if err != nil {
		return err
	}
	var s string
	if err := json.Unmarshal(parts[1], &s); err != nil {
		return errors.New("a sample's value is not a string")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return errors.New("a sample's value is not a number")
	}
	p.t, p.v = t, v
	return nil
}

// parseSeconds reads a unix time in seconds with an optional fraction,
// exactly to the nanosecond (a float64 would lose the milliseconds of
// today's times).
func parseSeconds(s string) (time.Time, error) {
	bad := errors.New("a sample's timestamp is not seconds since the epoch")
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
			return time.Time{}, bad
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > 1e11 || sec < -1e11 {
		return time.Time{}, bad
	}
	var ns int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		n, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, bad
		}
		ns = int64(n)
		for i := len(frac); i < 9; i++ {
			ns *= 10
		}
		if strings.HasPrefix(whole, "-") {
			ns = -ns
		}
	}
	return time.Unix(sec, ns), nil
}

type wireSeries struct {
	Metric map[string]string `json:"metric"`
	Values []samplePair      `json:"values"`
	Value  *samplePair       `json:"value"`
}

// decodeQueryBody decodes a /query or /query_range answer. It never fails
// on an empty answer of a known type; an unknown or missing type is an
// error.
func decodeQueryBody(body []byte, dir Direction, in *labelInterner) (page, error) {
	var r queryBody
	if err := json.Unmarshal(body, &r); err != nil {
		return page{}, jsonError(err)
	}
	if r.Status == "error" {
		return page{}, fmt.Errorf("Loki answered an error: %s", r.Error)
	}
	p := page{warnings: cleanWarnings(r.Warnings)}
	res := r.Data.Result
	if len(res) == 0 || string(res) == "null" {
		res = nil
	}
	var err error
	switch r.Data.ResultType {
	case "streams":
		var ss []wireStream
		if res != nil {
			err = json.Unmarshal(res, &ss)
		}
		p.kind, p.entries = kindStreams, streamEntries(ss, dir, in)
	case "matrix":
		var ms []wireSeries
		if res != nil {
			err = json.Unmarshal(res, &ms)
		}
		p.kind, p.series = kindMatrix, matrixSeries(ms)
	case "vector":
		var vs []wireSeries
		if res != nil {
			err = json.Unmarshal(res, &vs)
		}
		p.kind, p.series = kindVector, vectorSeries(vs)
	case "scalar":
		var s samplePair
		if res == nil {
			return page{}, errors.New("a scalar answer has no value")
		}
		err = json.Unmarshal(res, &s)
		p.kind = kindScalar
		p.series = []sources.Series{{Labels: map[string]string{}, Samples: []sources.Sample{{Time: s.t, Value: s.v}}}}
	default:
		return page{}, fmt.Errorf("answer has no result of a known type (resultType %q)", sanitize.Line(r.Data.ResultType))
	}
	if err != nil {
		return page{}, jsonError(err)
	}
	return p, nil
}

// jsonError drops encoding/json's Go type names, which mean nothing to a
// reader of the UI.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("unexpected %s at %q", te.Value, te.Field)
	}
	return err
}

func cleanWarnings(ws []string) []string {
	var out []string
	for _, w := range ws {
		if s := sanitize.Line(w); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// streamEntries flattens streams into entries sorted by time in dir order.
// Structured metadata and parsed labels go to Metadata; stream labels stay
// in Labels, one shared map per stream.
func streamEntries(ss []wireStream, dir Direction, in *labelInterner) []sources.LogEntry {
	n := 0
	for _, s := range ss {
		n += len(s.Values)
	}
	out := make([]sources.LogEntry, 0, n)
	for _, s := range ss {
		lbls := in.get(s.Stream)
		for _, e := range s.Values {
			out = append(out, sources.LogEntry{Time: e.ts, Labels: lbls, Line: e.line, Metadata: e.meta})
		}
	}
	sortEntries(out, dir)
	return out
}

func sortEntries(es []sources.LogEntry, dir Direction) {
	slices.SortStableFunc(es, func(a, b sources.LogEntry) int {
		if dir == Forward {
			return a.Time.Compare(b.Time)
		}
		return b.Time.Compare(a.Time)
	})
}

func metricLabels(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func matrixSeries(ms []wireSeries) []sources.Series {
	out := make([]sources.Series, 0, len(ms))
	for _, s := range ms {
		ser := sources.Series{Labels: metricLabels(s.Metric), Samples: make([]sources.Sample, 0, len(s.Values))}
		for _, v := range s.Values {
			ser.Samples = append(ser.Samples, sources.Sample{Time: v.t, Value: v.v})
		}
		out = append(out, ser)
	}
	return out
}

func vectorSeries(vs []wireSeries) []sources.Series {
	out := make([]sources.Series, 0, len(vs))
	for _, s := range vs {
		ser := sources.Series{Labels: metricLabels(s.Metric)}
		if s.Value != nil {
			ser.Samples = []sources.Sample{{Time: s.Value.t, Value: s.Value.v}}
		}
		out = append(out, ser)
	}
	return out
}

// tailFrame is one message of the tail websocket, converted.
type tailFrame struct {
	entries []sources.LogEntry // oldest first
	dropped int
}

// decodeTailFrame reads one websocket message of /loki/api/v1/tail:
// {"streams":[{"stream":{...},"values":[["<ns>","line",{...}]]}],
// "dropped_entries":[{"timestamp":"<ns>","labels":{...}}]}.
func decodeTailFrame(data []byte, in *labelInterner) (tailFrame, error) {
	var r struct {
		Streams []wireStream      `json:"streams"`
		Dropped []json.RawMessage `json:"dropped_entries"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return tailFrame{}, jsonError(err)
	}
	return tailFrame{entries: streamEntries(r.Streams, Forward, in), dropped: len(r.Dropped)}, nil
}

// decodeStrings reads the {"status":"success","data":[...]} answer of
// /labels and /label/<name>/values. Loki leaves data out when it is empty.
func decodeStrings(body []byte) ([]string, error) {
	var r struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, jsonError(err)
	}
	if r.Data == nil {
		r.Data = []string{}
	}
	return r.Data, nil
}

// decodeSeries reads the answer of /series: data is a list of label sets.
func decodeSeries(body []byte) ([]map[string]string, error) {
	var r struct {
		Data []map[string]string `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, jsonError(err)
	}
	out := make([]map[string]string, 0, len(r.Data))
	for _, m := range r.Data {
		if m == nil {
			m = map[string]string{}
		}
		out = append(out, m)
	}
	return out, nil
}

// httpError builds the typed error for a non-2xx answer, keeping Loki's own
// text, sanitized.
func httpError(op string, status int, body []byte) *sources.Error {
	msg := sources.HTTPErrorText(status, body)
	// Cut here, on a rune boundary, so that sources.HTTPError (which cuts
	// at a byte offset) leaves the text alone.
	e := sources.HTTPError(backend, op, status, cut(sanitize.Line(msg), 400))
	e.Kind = sources.KindForAnswer(status, msg)
	return e
}

// cut shortens s to at most n bytes, ellipsis included, without splitting a
// UTF-8 sequence.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	i := n - len(ellipsis)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + ellipsis
}
