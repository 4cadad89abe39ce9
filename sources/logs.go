package sources

import (
	"context"
	"time"
)

// This file is the log-backend contract: what the console, the request view,
// the pivots and serve's shared tails need from a log backend. Loki
// (sources/loki) and VictoriaLogs (sources/victorialogs) implement it; every
// consumer depends on these types only, never on one backend's package.

// Direction is the order log entries come back in.
type Direction int

// The two directions. Backward, newest first, is what people reading logs
// usually want, so it is the zero value.
const (
	Backward Direction = iota
	Forward
)

// String returns the name Loki uses for the direction.
func (d Direction) String() string {
	if d == Forward {
		return "forward"
	}
	return "backward"
}

// LogQuery is a log query over a window, in the backend's own language.
type LogQuery struct {
	Expr string
	// From is inclusive and To exclusive. Zero To means now; zero From means
	// the backend's default window before To.
	From, To time.Time
	// Limit is the most entries returned in total, across pages and split
	// windows. 0 means the backend's default limit.
	Limit     int
	Direction Direction
}

// LogResult is what a log query returned. Log queries fill Entries; metric
// queries (Loki only) fill Series.
type LogResult struct {
	Entries  []LogEntry
	Series   []Series
	Warnings []string
}

// TailState is what a live tail is doing.
type TailState int

// The states of a live tail.
const (
	TailConnecting   TailState = iota // dialling, or catching up after a connect
	TailLive                          // receiving live entries
	TailReconnecting                  // waiting to retry after a failure
	TailStopped                       // ended; C is closed
)

// String names the state the way the UI shows it.
func (s TailState) String() string {
	switch s {
	case TailConnecting:
		return "connecting"
	case TailLive:
		return "live"
	case TailReconnecting:
		return "reconnecting"
	case TailStopped:
		return "stopped"
	}
	return "unknown"
}

// TailStatus is a snapshot of a live tail, for the UI's status line.
type TailStatus struct {
	State TailState
	// Since is when State was entered.
	Since time.Time
	// LastErr is the failure that caused the current reconnect, or the one
	// that stopped the tail; nil while live.
	LastErr error
	// Reconnects counts connections lost and retried.
	Reconnects int
	// Dropped counts entries lost: reported dropped by the backend, or
	// dropped because the reader fell behind.
	Dropped int
	// Last is the newest entry timestamp received: the resume point.
	Last time.Time
	// Warnings are from the backend and from catching up.
	Warnings []string
}

// LogTail is a running live tail. Entries arrive on C in batches, oldest
// first within a batch; C is closed when the tail ends, after which Err says
// why (nil when its context was cancelled).
type LogTail interface {
	C() <-chan []LogEntry
	Done() <-chan struct{}
	Err() error
	Status() TailStatus
}

// LogTailer starts live tails. It is the part of LogBackend that serve's
// shared tails need.
type LogTailer interface {
	// Tail starts following expr from start (zero means now) and returns at
	// once; connection failures show in Status, not as a return value.
	Tail(ctx context.Context, expr string, start time.Time) LogTail
}

// LogBackend is the contract every log backend client implements. Every
// method takes ctx first and returns *Error values.
type LogBackend interface {
	LogTailer
	// Backend names the backend kind: "loki" or "victorialogs".
	Backend() string
	// Dialect builds queries in the backend's language.
	Dialect() LogDialect
	// QueryRange returns up to q.Limit entries of a log query, paging past
	// the server's per-query limit, in q.Direction order, without
	// duplicates.
	QueryRange(ctx context.Context, q LogQuery) (*LogResult, error)
	// QueryRangeFunc hands the entries of a log query to fn one page at a
	// time, so a large result never sits in memory at once. An error from
	// fn stops the walk and is returned as is. Warnings come back even on
	// error.
	QueryRangeFunc(ctx context.Context, q LogQuery, fn func([]LogEntry) error) ([]string, error)
	// Labels lists the label (Loki) or field (VictoriaLogs) names seen in
	// the window.
	Labels(ctx context.Context, from, to time.Time) ([]string, error)
	// LabelValues lists the values of one label or field seen in the window.
	LabelValues(ctx context.Context, name string, from, to time.Time) ([]string, error)
	// Ping asks the backend whether it is ready, without retries.
	Ping(ctx context.Context) error
}

// LogDialect builds queries in one backend's language, so that the request
// view, the pivots and the hints never write LogQL or LogsQL by hand.
type LogDialect interface {
	// Language is the language's name as its users know it: "LogQL" or
	// "LogsQL".
	Language() string
	// Stream selects the streams whose label equals value; an empty value
	// selects every stream that has the label.
	Stream(label, value string) string
	// Contains narrows the query q to lines whose text contains s.
	Contains(q, s string) string
	// IDQueries returns the queries whose union is every entry under the
	// stream selector sel that carries one of ids in its line text or,
	// exactly, in one of the named fields (Loki structured metadata or
	// parsed labels; VictoriaLogs fields). The first query is the line-text
	// one; callers may run them all at once, or in order and stop at the
	// first that finds entries. LogQL needs two queries (a line filter and
	// a label filter cannot be OR-ed); LogsQL needs one. A line-text match
	// may be a longer id containing one of ids: callers check.
	IDQueries(sel string, fields, ids []string) []string
	// IsSelector reports whether s is a stream selector in this language,
	// as config's correlate.selectors must be.
	IsSelector(s string) bool
	// Example is a short query to show in hints, for a stream label.
	Example(label string) string
}

// LogMetrics runs metric queries over logs: LogQL metric queries on Loki,
// LogsQL queries with a `| stats` pipe on VictoriaLogs. It is separate from
// LogBackend so that a consumer asks for it with a type assertion and a
// backend (or a wrapper of one) without it still serves log queries.
type LogMetrics interface {
	// IsMetricQuery reports whether expr is a metric query in the
	// backend's language, one MetricRange runs, rather than a log query.
	// It reads the text only and never calls the backend.
	IsMetricQuery(expr string) bool
	// MetricRange runs a metric query over [from, to) at step resolution
	// (0: DefaultMetricStep) and returns its series and the backend's
	// warnings, which come back even on error.
	MetricRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]Series, []string, error)
}

// LogMetricsInstant evaluates a metric query at one instant, as logcli's
// instant-query does (Loki's /query; VictoriaLogs' stats_query, over the
// lines the query selects up to at). A backend's LogMetrics may also
// implement it; each series has one sample.
type LogMetricsInstant interface {
	MetricInstant(ctx context.Context, expr string, at time.Time) ([]Series, []string, error)
}

// DefaultMetricStep is the step of a metric query when none is given:
// about 250 points over the range, in whole seconds, at least 1s (Loki's
// and Grafana's default).
func DefaultMetricStep(from, to time.Time) time.Duration {
	s := (to.Sub(from) / 250).Truncate(time.Second)
	return max(s, time.Second)
}

// AsMetricQuery returns backend's LogMetrics when it has one and expr is a
// metric query in its language: the console and `reltui logs` then run
// expr with MetricRange and draw series instead of lines.
func AsMetricQuery(backend any, expr string) (LogMetrics, bool) {
	lm, ok := backend.(LogMetrics)
	if !ok || !lm.IsMetricQuery(expr) {
		return nil, false
	}
	return lm, true
}
