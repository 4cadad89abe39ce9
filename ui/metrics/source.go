package metrics

import (
	"context"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

// Source is the metrics backend the pane reads, declared on the consumer
// side so tests can hand the pane a fake. *prom.Client implements it.
type Source interface {
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
	LabelValues(ctx context.Context, name string, matchers []string, from, to time.Time) ([]string, []string, error)
	QueryExemplars(ctx context.Context, expr string, from, to time.Time) ([]sources.Exemplar, error)
}

var _ Source = (*prom.Client)(nil)
