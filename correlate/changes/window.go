package changes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Changes in a window, for a list rather than a chart: the request view
// and an incident's timeline ask "what changed between from and to?" of
// every source a context configures at once.

// Feeds is where a context's changes come from: its sources and the
// clients that run them. Prom runs the PromQL sources and Logs the log
// sources; either may be nil when the context has no such backend, and
// a source that needs it then fails alone.
type Feeds struct {
	Sources []Source
	Prom    Querier
	Logs    LogQuerier
}

// MaxInWindow bounds the events InWindow returns: a window with more
// changes than a screen can list is summarized by its first ones.
const MaxInWindow = 100

// windowPoints is how many steps a window is cut into: a change's time is
// known to one step, so more points are a finer time, at the price of a
// longer answer.
const windowPoints = 1000

// StepFor is the range-query step InWindow uses over [from, to): the
// window cut into windowPoints steps, never under a second, in whole
// seconds.
func StepFor(from, to time.Time) time.Duration {
	return max(time.Second, (to.Sub(from) / windowPoints).Truncate(time.Second))
}

// Empty reports whether f has no source to ask.
func (f Feeds) Empty() bool { return len(f.Sources) == 0 }

// Changes is InWindow over f.
func (f Feeds) Changes(ctx context.Context, from, to time.Time, services []string) ([]Event, error) {
	return InWindow(ctx, f, from, to, services)
}

// InWindow runs every source of f over [from, to) in parallel and returns
// the changes inside that window, in time order, at most MaxInWindow
// (the earliest). With services, only the changes to those services and
// the changes that name no service are kept. One source failing leaves
// the others' events: the error joins every failure, each naming its
// source.
//
// A PromQL source is queried from two steps before from, so a deploy at
// the window's very start is seen as a new series, not as one that was
// there all along; its events are timed to one step (StepFor).
func InWindow(ctx context.Context, f Feeds, from, to time.Time, services []string) ([]Event, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("changes: empty window %s – %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	step := StepFor(from, to)
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		out  []Event
		errs []error
	)
	for _, src := range f.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var evs []Event
			var err error
			switch {
			case src.Logs != "" && f.Logs == nil:
				err = fmt.Errorf("changes %s: a log query needs a log backend in this context", src.Name)
			case src.Logs != "":
				evs, err = FetchLogs(ctx, f.Logs, src, from, to, "")
			case f.Prom == nil:
				err = fmt.Errorf("changes %s: a PromQL source needs Prometheus in this context", src.Name)
			default:
				evs, err = Fetch(ctx, f.Prom, src, from.Add(-2*step), to, step, "")
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			out = append(out, evs...)
		}()
	}
	wg.Wait()
	out = slices.DeleteFunc(out, func(e Event) bool {
		if e.T.Before(from) || !e.T.Before(to) {
			return true
		}
		return len(services) > 0 && e.Service != "" && !slices.Contains(services, e.Service)
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].T.Equal(out[j].T) {
			return out[i].T.Before(out[j].T)
		}
		return out[i].Service < out[j].Service
	})
	if len(out) > MaxInWindow {
		out = out[:MaxInWindow]
	}
	// Sources finish in any order; sorted, the same failures read the
	// same way every time.
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return out, errors.Join(errs...)
}
