// Package logpush sends log lines in Loki's JSON push format, to
// VictoriaLogs (the dev stack's log backend, which accepts that format) or
// to a real Loki. JSON rather than snappy protobuf because it is the one
// form a person can read in a packet capture, and the volume of a demo does
// not need more.
package logpush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Backend names a server that takes Loki's JSON push.
type Backend string

// The backends a Client can push to.
const (
	VictoriaLogs Backend = "victorialogs"
	Loki         Backend = "loki"
)

// ParseBackend accepts a Backend's name; empty means VictoriaLogs.
func ParseBackend(s string) (Backend, error) {
	switch b := Backend(s); b {
	case "":
		return VictoriaLogs, nil
	case VictoriaLogs, Loki:
		return b, nil
	}
	return "", fmt.Errorf("unknown log backend %q (want %s or %s)", s, VictoriaLogs, Loki)
}

// pushPath is where b takes a push, relative to its base URL.
//
// VictoriaLogs by default parses a line that is a JSON object into fields
// and keeps only its "msg" as the message, so the frontend's JSON lines
// would lose their text (and request_id would leave the message, where a
// phrase search looks). disable_message_parsing keeps every line as it was
// written, as Loki does; labels still become stream fields and structured
// metadata still becomes fields.
func (b Backend) pushPath() string {
	if b == Loki {
		return "/loki/api/v1/push"
	}
	return "/insert/loki/api/v1/push?disable_message_parsing=1"
}

// Entry is one log line and the stream it belongs to.
type Entry struct {
	// Labels are the stream labels (stream fields in VictoriaLogs). Keep
	// them low-cardinality: every distinct set is a separate stream.
	Labels map[string]string
	Time   time.Time
	Line   string
	// Metadata is Loki structured metadata, which VictoriaLogs stores as
	// ordinary fields: kept with the line but not part of its text and
	// not a stream label, the place for per-request ids.
	Metadata map[string]string
}

type pushRequest struct {
	Streams []stream `json:"streams"`
}

type stream struct {
	Stream map[string]string `json:"stream"`
	Values [][]any           `json:"values"`
}

// Marshal builds a push body, one stream per distinct label set, each in
// time order. Values are ["<unix ns>", "<line>"] or, with structured
// metadata, ["<unix ns>", "<line>", {"k": "v"}].
func Marshal(entries []Entry) ([]byte, error) {
	byKey := map[string]*stream{}
	var keys []string
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b Entry) int { return a.Time.Compare(b.Time) })
	for _, e := range sorted {
		if len(e.Labels) == 0 {
			return nil, errors.New("log entry without stream labels")
		}
		k := labelKey(e.Labels)
		s, ok := byKey[k]
		if !ok {
			s = &stream{Stream: e.Labels}
			byKey[k] = s
			keys = append(keys, k)
		}
		v := []any{strconv.FormatInt(e.Time.UnixNano(), 10), e.Line}
		if len(e.Metadata) > 0 {
			v = append(v, e.Metadata)
		}
		s.Values = append(s.Values, v)
	}
	slices.Sort(keys)
	req := pushRequest{Streams: make([]stream, 0, len(keys))}
	for _, k := range keys {
		req.Streams = append(req.Streams, *byKey[k])
	}
	return json.Marshal(req)
}

func labelKey(ls map[string]string) string {
	names := make([]string, 0, len(ls))
	for n := range ls {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(0)
		b.WriteString(ls[n])
		b.WriteByte(0)
	}
	return b.String()
}

// Client pushes to one log backend.
type Client struct {
	backend Backend
	url     string
	http    *http.Client
}

// NewClient returns a client for backend b at base, e.g.
// http://127.0.0.1:9428 for VictoriaLogs or http://127.0.0.1:3100 for
// Loki; the push path is added here.
func NewClient(b Backend, base string, hc *http.Client) (*Client, error) {
	if b != VictoriaLogs && b != Loki {
		return nil, fmt.Errorf("unknown log backend %q", b)
	}
	if base == "" {
		return nil, fmt.Errorf("%s URL is empty", b)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{backend: b, url: strings.TrimRight(base, "/") + b.pushPath(), http: hc}, nil
}

// Error is a push the backend answered but refused.
type Error struct {
	Backend Backend
	Status  int
	Body    string
}

// Error includes the backend's own reason, which names the offending
// stream or limit.
func (e *Error) Error() string {
	return fmt.Sprintf("push to %s: HTTP %d: %s", e.Backend, e.Status, e.Body)
}

// Retryable reports whether the same batch may be accepted later. A 400
// (line too long, too old) will be refused again, so it is not.
func (e *Error) Retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Push sends entries as one request.
func (c *Client) Push(ctx context.Context, entries []Entry) error {
	body, err := Marshal(entries)
	if err != nil {
		return fmt.Errorf("push to %s: %w", c.backend, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("push to %s: %w", c.backend, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "reltui-demo")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("push to %s: %w", c.backend, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &Error{Backend: c.backend, Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	return nil
}
