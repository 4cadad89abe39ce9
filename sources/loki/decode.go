package loki

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	jsoniter "github.com/json-iterator/go"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"

	"github.com/grafana/loki/v3/pkg/loghttp"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

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

// toPage converts a decoded answer. It never fails on an empty answer of a
// known type; an unknown or missing type is a bad response.
func toPage(r *loghttp.QueryResponse, dir Direction, in *labelInterner) (page, error) {
	p := page{warnings: cleanWarnings(r.Warnings)}
	switch v := r.Data.Result.(type) {
	case loghttp.Streams:
		p.kind = kindStreams
		p.entries = streamEntries(v, dir, in)
	case loghttp.Matrix:
		p.kind = kindMatrix
		p.series = matrixSeries(v)
	case loghttp.Vector:
		p.kind = kindVector
		p.series = vectorSeries(v)
	case loghttp.Scalar:
		p.kind = kindScalar
		p.series = []sources.Series{{Labels: map[string]string{}, Samples: []sources.Sample{{
			Time: model.Time(v.Timestamp).Time(), Value: float64(v.Value)}}}}
	default:
		return p, fmt.Errorf("answer has no result of a known type (resultType %q)", sanitize.Line(string(r.Data.ResultType)))
	}
	return p, nil
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
func streamEntries(ss loghttp.Streams, dir Direction, in *labelInterner) []sources.LogEntry {
	n := 0
	for _, s := range ss {
		n += len(s.Entries)
	}
	out := make([]sources.LogEntry, 0, n)
	for _, s := range ss {
		lbls := in.get(map[string]string(s.Labels))
		for _, e := range s.Entries {
			out = append(out, sources.LogEntry{Time: e.Timestamp, Labels: lbls, Line: e.Line,
				Metadata: metadataOf(e.StructuredMetadata, e.Parsed)})
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

// metadataOf merges structured metadata and parsed labels; structured
// metadata wins a clash because it is what the sender attached.
func metadataOf(sm, parsed labels.Labels) map[string]string {
	if sm.IsEmpty() && parsed.IsEmpty() {
		return nil
	}
	m := make(map[string]string, sm.Len()+parsed.Len())
	parsed.Range(func(l labels.Label) { m[l.Name] = l.Value })
	sm.Range(func(l labels.Label) { m[l.Name] = l.Value })
	return m
}

func metricLabels(m model.Metric) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[string(k)] = string(v)
	}
	return out
}

func matrixSeries(m loghttp.Matrix) []sources.Series {
	out := make([]sources.Series, 0, len(m))
	for _, s := range m {
		ser := sources.Series{Labels: metricLabels(s.Metric), Samples: make([]sources.Sample, 0, len(s.Values))}
		for _, v := range s.Values {
			ser.Samples = append(ser.Samples, sources.Sample{Time: v.Timestamp.Time(), Value: float64(v.Value)})
		}
		out = append(out, ser)
	}
	return out
}

func vectorSeries(v loghttp.Vector) []sources.Series {
	out := make([]sources.Series, 0, len(v))
	for _, s := range v {
		out = append(out, sources.Series{Labels: metricLabels(s.Metric),
			Samples: []sources.Sample{{Time: s.Timestamp.Time(), Value: float64(s.Value)}}})
	}
	return out
}

// decodeQueryBody decodes a /query or /query_range body exactly the way
// logcli's client does (json-iterator's default decoder into
// loghttp.QueryResponse) and converts it. The client path does not call it
// (logcli decodes there); the fuzz target does, so the decoder that reads
// server bytes in production is the one under test.
func decodeQueryBody(body []byte, dir Direction, in *labelInterner) (p page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	var r loghttp.QueryResponse
	if err := jsoniter.NewDecoder(bytes.NewReader(body)).Decode(&r); err != nil {
		return page{}, err
	}
	return toPage(&r, dir, in)
}

// tailFrame is one message of the tail websocket, converted.
type tailFrame struct {
	entries []sources.LogEntry // oldest first
	dropped int
}

// decodeTailFrame reads one websocket message of /loki/api/v1/tail:
// {"streams":[{"stream":{...},"values":[["<ns>","line",{...}]]}],
// "dropped_entries":[...]}. With categorize-labels the third element holds
// structuredMetadata and parsed.
func decodeTailFrame(data []byte, in *labelInterner) (f tailFrame, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = tailFrame{}, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	var r loghttp.TailResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return tailFrame{}, err
	}
	return tailFrame{entries: streamEntries(r.Streams, Forward, in), dropped: len(r.DroppedStreams)}, nil
}

// errorText pulls the readable reason out of an error body: Loki answers
// plain text, proxies and gateways sometimes JSON or HTML.
func errorText(status int, body []byte) string {
	t := strings.TrimSpace(string(body))
	if strings.HasPrefix(t, "{") {
		var v struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal([]byte(t), &v) == nil {
			switch {
			case v.Error != "":
				return v.Error
			case v.Message != "":
				return v.Message
			}
		}
	}
	if l := strings.ToLower(t); strings.Contains(l, "<html") || strings.HasPrefix(l, "<!doctype") {
		return fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	return t
}

// kindFor classifies a failed answer by status and, where Loki's status is
// too coarse, by its text.
func kindFor(status int, msg string) sources.Kind {
	if status == http.StatusTooManyRequests {
		return sources.KindRateLimited
	}
	// Loki's texts for answers that are too big. They arrive as 400s, but
	// the remedy (narrow the query or the window) differs from a typo's.
	tooMuchData := [...]string{
		"max entries limit",
		"query time range exceeds the limit",
		"would read too many bytes",
		"too large to execute",
		"maximum number of series",
		"max number of series",
		"max number of chunks",
		"exceeded maximum resolution",
		"max_query_series",
	}
	rateLimited := [...]string{"too many outstanding requests", "max concurrent tail requests"}
	l := strings.ToLower(msg)
	for _, s := range tooMuchData {
		if strings.Contains(l, s) {
			return sources.KindTooMuchData
		}
	}
	for _, s := range rateLimited {
		if strings.Contains(l, s) {
			return sources.KindRateLimited
		}
	}
	return sources.KindForStatus(status)
}

// httpError builds the typed error for a non-2xx answer, keeping Loki's own
// text, sanitized.
func httpError(op string, status int, body []byte) *sources.Error {
	msg := errorText(status, body)
	kind := kindFor(status, msg)
	// Cut here, on a rune boundary, so that sources.HTTPError (which cuts
	// at a byte offset) leaves the text alone.
	e := sources.HTTPError(backend, op, status, cut(sanitize.Line(msg), 400))
	e.Kind = kind
	if e.Kind == sources.KindUnknown {
		e.Kind = sources.KindBadResponse
	}
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
