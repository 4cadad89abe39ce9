package traces

import (
	"context"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
)

// Source is the trace backend the pane reads. It is declared here, on the
// consumer side, so tests hand the pane a fake; *jaeger.Client satisfies
// it as is.
type Source interface {
	FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error)
	GetTrace(ctx context.Context, traceID string) (*sources.Trace, error)
	// Services and Operations feed the search form's suggestions;
	// spanKind "" means operations of every kind.
	Services(ctx context.Context) ([]string, error)
	Operations(ctx context.Context, service, spanKind string) ([]string, error)
}

var _ Source = (*jaeger.Client)(nil)
