// Package lokipush sends log lines to Loki's push API in its JSON form.
// JSON rather than snappy protobuf because it is the one form a person can
// read in a packet capture, and the volume of a demo does not need more.
package lokipush

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

// Entry is one log line and the stream it belongs to.
type Entry struct {
	// Labels are the stream labels. Keep them low-cardinality: every
	// distinct set is a separate stream in Loki's index.
	Labels map[string]string
	Time   time.Time
	Line   string
	// Metadata is Loki structured metadata: indexed with the line but not
	// part of it and not a stream label, the place for per-request ids.
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
			return nil, errors.New("loki entry without stream labels")
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

// Client pushes to one Loki.
type Client struct {
	url  string
	http *http.Client
}

// NewClient returns a client for the Loki at base, e.g.
// http://127.0.0.1:3100; the push path is added here.
func NewClient(base string, hc *http.Client) (*Client, error) {
	if base == "" {
		return nil, errors.New("loki URL is empty")
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{url: strings.TrimRight(base, "/") + "/loki/api/v1/push", http: hc}, nil
}

// Error is a push Loki answered but refused.
type Error struct {
	Status int
	Body   string
}

// Error includes Loki's own reason, which names the offending stream or limit.
func (e *Error) Error() string {
	return fmt.Sprintf("loki push: HTTP %d: %s", e.Status, e.Body)
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
		return fmt.Errorf("loki push: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("loki push: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "reltui-demo")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("loki push: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &Error{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	return nil
}
