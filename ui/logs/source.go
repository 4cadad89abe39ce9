package logs

import (
	"context"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
)

// Source is the log backend the pane reads. It is declared here, on the
// consumer side, so tests can hand the pane a fake and the pane never
// depends on how the client is built.
type Source interface {
	QueryRange(ctx context.Context, q loki.Query) (*loki.Result, error)
	// Tail starts following expr from start and returns at once; the
	// connection is made in the background, as loki.Client.Tail does.
	Tail(ctx context.Context, expr string, start time.Time) Tailer
}

// Tailer is a running live tail. *loki.Tail implements it; the interface
// exists because a *loki.Tail cannot be built outside its package, so a
// fake needs something it can implement.
type Tailer interface {
	C() <-chan []sources.LogEntry
	Done() <-chan struct{}
	Err() error
	Status() loki.TailStatus
}

var _ Tailer = (*loki.Tail)(nil)

// LokiSource adapts a *loki.Client to Source. Only Tail needs adapting:
// the client returns the concrete *loki.Tail.
func LokiSource(c *loki.Client) Source { return lokiSource{c} }

type lokiSource struct{ c *loki.Client }

func (s lokiSource) QueryRange(ctx context.Context, q loki.Query) (*loki.Result, error) {
	return s.c.QueryRange(ctx, q)
}

func (s lokiSource) Tail(ctx context.Context, expr string, start time.Time) Tailer {
	return s.c.Tail(ctx, expr, start)
}
