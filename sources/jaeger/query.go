package jaeger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/sanitize"
)

// DefaultSearchWindow is how far back FindTraces looks when FindQuery.Start
// is zero.
const DefaultSearchWindow = time.Hour

// FindQuery selects traces. Conditions are matched per span and combined
// with AND: a trace is returned when one of its spans matches them all.
type FindQuery struct {
	// Service is required; Jaeger's storages cannot search without it.
	Service string
	// Operation narrows to one operation of Service; empty means any.
	Operation string
	// Tags must all match on the same span, e.g. {"request_id": "abc"}.
	Tags map[string]string
	// Start and End bound span start times. Zero End means now; zero
	// Start means End minus DefaultSearchWindow.
	Start, End time.Time
	// MinDuration and MaxDuration bound span durations; zero means no
	// bound.
	MinDuration, MaxDuration time.Duration
	// Limit is the most traces to return; zero means DefaultSearchLimit.
	Limit int
}

// params validates q and fills defaults. Validation happens here because
// Jaeger answers a bad search with codes.Internal, which would count against
// the backend and be retried.
func (q FindQuery) params(now time.Time) (*api_v2.TraceQueryParameters, error) {
	const op = "find_traces"
	if strings.TrimSpace(q.Service) == "" {
		return nil, badQuery(op, "a service name is required to search traces")
	}
	if q.Limit < 0 {
		return nil, badQuery(op, "limit must not be negative")
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	if limit > math.MaxInt32 {
		limit = math.MaxInt32
	}
	end := q.End
	if end.IsZero() {
		end = now
	}
	start := q.Start
	if start.IsZero() {
		start = end.Add(-DefaultSearchWindow)
	}
	if start.After(end) {
		return nil, badQuery(op, "start is after end")
	}
	if q.MinDuration < 0 || q.MaxDuration < 0 {
		return nil, badQuery(op, "durations must not be negative")
	}
	if q.MaxDuration > 0 && q.MinDuration > q.MaxDuration {
		return nil, badQuery(op, "min duration is greater than max duration")
	}
	for k := range q.Tags {
		if strings.TrimSpace(k) == "" {
			return nil, badQuery(op, "tag names must not be empty")
		}
	}
	return &api_v2.TraceQueryParameters{
		ServiceName:   q.Service,
		OperationName: q.Operation,
		Tags:          q.Tags,
		StartTimeMin:  start,
		StartTimeMax:  end,
		DurationMin:   q.MinDuration,
		DurationMax:   q.MaxDuration,
		SearchDepth:   int32(limit),
	}, nil
}

// FindTraces searches traces and assembles the streamed span chunks into
// whole traces, newest first. Past the client's span limit the answer is cut
// short and the last trace carries a warning saying so.
func (c *Client) FindTraces(ctx context.Context, q FindQuery) ([]sources.Trace, error) {
	const op = "find_traces"
	params, err := q.params(time.Now())
	if err != nil {
		return nil, err
	}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]sources.Trace, error) {
		a, cut, err := c.collect(ctx, op, func(ctx context.Context) (chunkStream, error) {
			return c.api.FindTraces(ctx, &api_v2.FindTracesRequest{Query: params})
		})
		if err != nil {
			return nil, err
		}
		traces := a.result(fmt.Sprintf(
			"search results have more than %d spans; showing the first %d, so this and later traces may be incomplete or missing",
			c.spanLimit, c.spanLimit))
		if cut > 0 && len(traces) > 0 {
			// result keeps arrival order: the last trace is the one cut.
			last := &traces[len(traces)-1]
			last.Warnings = append(last.Warnings, c.oversizeWarning("search results", cut)+
				", so this and later traces may be incomplete or missing")
		}
		sortTracesNewestFirst(traces)
		return traces, nil
	})
}

// GetTrace fetches one trace by id (1–32 hex digits). An unknown id is
// KindNotFound; a malformed one is KindBadQuery without a network call. A
// trace past the span limit comes back truncated with a warning, and so
// does one whose stream breaks on a message over the size limit after
// some spans arrived (before any, that is KindTooMuchData).
func (c *Client) GetTrace(ctx context.Context, traceID string) (*sources.Trace, error) {
	const op = "get_trace"
	id, err := parseTraceID(traceID)
	if err != nil {
		shown := sanitize.Line(traceID)
		if len(shown) > 40 {
			shown = shown[:40] + "…"
		}
		return nil, badQuery(op, fmt.Sprintf("%q: %v", shown, err))
	}
	want := formatTraceID(id)
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (*sources.Trace, error) {
		a, cut, err := c.collect(ctx, op, func(ctx context.Context) (chunkStream, error) {
			return c.api.GetTrace(ctx, &api_v2.GetTraceRequest{TraceID: id})
		})
		if err != nil {
			return nil, err
		}
		parts := a.result(fmt.Sprintf("trace has more than %d spans; showing the first %d", c.spanLimit, c.spanLimit))
		if len(parts) == 0 {
			// Some storages answer an unknown id with an empty stream
			// rather than NotFound.
			return nil, &sources.Error{Backend: backendName, Op: op, Kind: sources.KindNotFound, Msg: "trace " + want + " not found"}
		}
		// The server may report a 64-bit id's spans under a slightly
		// different id form; everything it returned belongs to the answer.
		out := &sources.Trace{TraceID: want}
		for _, p := range parts {
			out.Spans = append(out.Spans, p.Spans...)
			out.Warnings = append(out.Warnings, p.Warnings...)
		}
		if len(parts) > 1 {
			sortSpans(out.Spans)
		}
		if cut > 0 {
			out.Warnings = append(out.Warnings, c.oversizeWarning("trace", cut))
		}
		return out, nil
	})
}

// chunkStream is what the GetTrace and FindTraces stream clients share.
type chunkStream interface {
	Recv() (*api_v2.SpansResponseChunk, error)
}

// collect reads a span stream into an assembler. Once the span limit is
// reached it cancels the stream instead of draining it, so an enormous
// trace costs neither memory nor the time to download the rest.
//
// A message over the size limit ends a stream for good. When spans came
// before it, collect returns them and cut, the number of spans taken, so
// the caller can warn: a big trace shown truncated beats an error. With
// nothing taken it is KindTooMuchData.
func (c *Client) collect(ctx context.Context, op string, open func(context.Context) (chunkStream, error)) (a *assembler, cut int, err error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := open(sctx)
	if err != nil {
		return nil, 0, toError(op, err)
	}
	a = newAssembler(c.spanLimit)
	taken := 0
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return a, 0, nil
		}
		if err != nil {
			err = toError(op, err)
			if taken > 0 && sources.KindOf(err) == sources.KindTooMuchData {
				return a, taken, nil
			}
			return nil, 0, err
		}
		more := a.add(chunk)
		taken += len(chunk.Spans)
		if !more {
			return a, 0, nil // the deferred cancel ends the stream
		}
	}
}

// oversizeWarning says that what was an answer of n spans was cut by a
// message over the gRPC size limit.
func (c *Client) oversizeWarning(what string, n int) string {
	return fmt.Sprintf("%s cut short: a gRPC message over the %s limit ended the answer after %d spans; showing the first %d",
		what, byteSize(c.maxMsg), n, n)
}

// byteSize is a message size limit as people write it: 64 MiB, 16 KiB.
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
