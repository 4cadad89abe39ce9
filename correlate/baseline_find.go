package correlate

import (
	"context"
	"fmt"
	"time"

	"github.com/reltui/reltui/sources"
)

// BaselineSearch runs one of BaselineQueries' searches against a trace
// store (Jaeger's FindTraces), under whatever timeout the caller wants.
type BaselineSearch func(ctx context.Context, q BaselineQuery) ([]sources.Trace, error)

// FindBaseline runs every search BaselineQueries names for slow, in
// order, and lets ChooseBaseline pick among all the candidates. chosen
// is the picked candidate as its search returned it (search results may
// be trimmed: a caller that needs every span fetches it again), nil
// only if it is missing from the results. A failed search fails the
// whole; no healthy candidate is a *NoBaselineError listing them.
func FindBaseline(ctx context.Context, slow sources.Trace, now time.Time, search BaselineSearch) (chosen *sources.Trace, b Baseline, err error) {
	qs, err := BaselineQueries(slow, now)
	if err != nil {
		return nil, Baseline{}, err
	}
	var cands []sources.Trace
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, Baseline{}, err
		}
		ts, err := search(ctx, q)
		if err != nil {
			return nil, Baseline{}, fmt.Errorf("search baseline candidates: %w", err)
		}
		cands = append(cands, ts...)
	}
	if b, err = ChooseBaseline(slow, cands); err != nil {
		return nil, b, err
	}
	for i := range cands {
		if cands[i].TraceID == b.TraceID {
			return &cands[i], b, nil
		}
	}
	return nil, b, nil
}
