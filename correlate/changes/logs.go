package changes

import (
	"context"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Changes from logs: every line a log query matches is one event, at the
// line's time, for the service its stream label (or field) names; the
// line itself says what changed. The query is in the context's log
// backend's language, e.g. `{service="deployer"} "rolled out"` (LogQL) or
// `_msg:"config reloaded"` (LogsQL).

// LogQuerier runs a log query; every sources.LogBackend implements it.
type LogQuerier interface {
	QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error)
}

// MaxLogEvents bounds the lines one log source contributes to a window:
// a query that matches far more is not a change feed.
const MaxLogEvents = 200

// maxWhat bounds an event's text, in runes.
const maxWhat = 160

// FetchLogs runs src.Logs over [from, to) and returns its events, for
// every service or, when service is not "", for that one and for lines
// that name none.
func FetchLogs(ctx context.Context, q LogQuerier, src Source, from, to time.Time, service string) ([]Event, error) {
	res, err := q.QueryRange(ctx, sources.LogQuery{Expr: src.Logs, From: from, To: to, Limit: MaxLogEvents, Direction: sources.Backward})
	if err != nil {
		return nil, fmt.Errorf("changes %s: %w", src.Name, err)
	}
	var out []Event
	for _, e := range FromEntries(res.Entries, src) {
		if service == "" || e.Service == service || e.Service == "" {
			out = append(out, e)
		}
	}
	return out, nil
}

// FromEntries turns log lines into events, in time order.
func FromEntries(es []sources.LogEntry, src Source) []Event {
	out := make([]Event, 0, len(es))
	for _, e := range es {
		svc := e.Labels[src.ServiceLabel]
		if svc == "" {
			svc = e.Metadata[src.ServiceLabel]
		}
		what := sanitize.Line(e.Line)
		if utf8.RuneCountInString(what) > maxWhat {
			what = string([]rune(what)[:maxWhat-1]) + "…"
		}
		out = append(out, Event{T: e.Time, Service: sanitize.Line(svc), Kind: src.Kind, Source: src.Name, What: what})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].T.Before(out[j].T) })
	return out
}
