// Package promwrite pushes samples to Prometheus through the remote-write
// receiver (protocol 1.0). The protobuf is written by hand with protowire:
// the message is four small types, and importing Prometheus' generated code
// would pull its whole module graph into reltui.
package promwrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/golang/snappy"
	"google.golang.org/protobuf/encoding/protowire"
)

// Label is one name/value pair; the metric name travels as __name__.
type Label struct {
	Name, Value string
}

// Sample is one value at a time in Unix milliseconds.
type Sample struct {
	Value     float64
	Timestamp int64
}

// Exemplar ties one observation to a trace, so a latency bucket can be
// followed to a request.
type Exemplar struct {
	Labels    []Label
	Value     float64
	Timestamp int64
}

// TimeSeries is one series and the points to append to it.
type TimeSeries struct {
	Labels    []Label
	Samples   []Sample
	Exemplars []Exemplar
}

// Field numbers from prometheus/prompb/types.proto and remote.proto.
const (
	fieldWriteRequestTimeseries = 1

	fieldSeriesLabels    = 1
	fieldSeriesSamples   = 2
	fieldSeriesExemplars = 3

	fieldLabelName  = 1
	fieldLabelValue = 2

	fieldSampleValue     = 1
	fieldSampleTimestamp = 2

	fieldExemplarLabels    = 1
	fieldExemplarValue     = 2
	fieldExemplarTimestamp = 3
)

// Marshal encodes a prometheus.WriteRequest. Labels are sorted by name on
// the way out because the receiver relies on that order for series identity.
func Marshal(series []TimeSeries) []byte {
	var out, ts, msg []byte
	for _, s := range series {
		ts = ts[:0]
		for _, l := range sortedLabels(s.Labels) {
			ts = appendLabel(ts, fieldSeriesLabels, l)
		}
		for _, smp := range s.Samples {
			msg = msg[:0]
			msg = protowire.AppendTag(msg, fieldSampleValue, protowire.Fixed64Type)
			msg = protowire.AppendFixed64(msg, math.Float64bits(smp.Value))
			msg = protowire.AppendTag(msg, fieldSampleTimestamp, protowire.VarintType)
			msg = protowire.AppendVarint(msg, uint64(smp.Timestamp))
			ts = protowire.AppendTag(ts, fieldSeriesSamples, protowire.BytesType)
			ts = protowire.AppendBytes(ts, msg)
		}
		for _, ex := range s.Exemplars {
			msg = msg[:0]
			for _, l := range sortedLabels(ex.Labels) {
				msg = appendLabel(msg, fieldExemplarLabels, l)
			}
			msg = protowire.AppendTag(msg, fieldExemplarValue, protowire.Fixed64Type)
			msg = protowire.AppendFixed64(msg, math.Float64bits(ex.Value))
			msg = protowire.AppendTag(msg, fieldExemplarTimestamp, protowire.VarintType)
			msg = protowire.AppendVarint(msg, uint64(ex.Timestamp))
			ts = protowire.AppendTag(ts, fieldSeriesExemplars, protowire.BytesType)
			ts = protowire.AppendBytes(ts, msg)
		}
		out = protowire.AppendTag(out, fieldWriteRequestTimeseries, protowire.BytesType)
		out = protowire.AppendBytes(out, ts)
	}
	return out
}

func appendLabel(b []byte, field protowire.Number, l Label) []byte {
	var m []byte
	m = protowire.AppendTag(m, fieldLabelName, protowire.BytesType)
	m = protowire.AppendString(m, l.Name)
	m = protowire.AppendTag(m, fieldLabelValue, protowire.BytesType)
	m = protowire.AppendString(m, l.Value)
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

func sortedLabels(ls []Label) []Label {
	if slices.IsSortedFunc(ls, cmpLabel) {
		return ls
	}
	c := slices.Clone(ls)
	slices.SortFunc(c, cmpLabel)
	return c
}

func cmpLabel(a, b Label) int { return strings.Compare(a.Name, b.Name) }

// Client sends write requests to one Prometheus.
type Client struct {
	url  string
	http *http.Client
}

// NewClient returns a client for the Prometheus at base, e.g.
// http://127.0.0.1:9090; the remote-write path is added here.
func NewClient(base string, hc *http.Client) (*Client, error) {
	if base == "" {
		return nil, errors.New("prometheus URL is empty")
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{url: strings.TrimRight(base, "/") + "/api/v1/write", http: hc}, nil
}

// Error is a push Prometheus answered but refused.
type Error struct {
	Status int
	Body   string
}

// Error includes Prometheus' reason, e.g. which sample was out of order.
func (e *Error) Error() string {
	return fmt.Sprintf("remote write: HTTP %d: %s", e.Status, e.Body)
}

// Retryable reports whether sending the same request again may succeed;
// a 4xx (such as out-of-order samples) will be refused again.
func (e *Error) Retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Push sends series as one snappy-compressed write request.
func (c *Client) Push(ctx context.Context, series []TimeSeries) error {
	body := snappy.Encode(nil, Marshal(series))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("remote write: %w", err)
	}
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	req.Header.Set("User-Agent", "reltui-demo")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("remote write: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &Error{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	return nil
}
