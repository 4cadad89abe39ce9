package metrics

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/ui/pane"
)

// Change markers: the context's change sources (deploys, config changes)
// are fetched with the signals and drawn on every chart. The cursor on a
// marker says what changed; L there opens that service's logs around it;
// c and C walk the cursor from one change to the next.

// fetchChanges runs every source for service over the request's window.
// One source failing leaves the others' events; the first error is kept.
func fetchChanges(ctx context.Context, r request, srcs []changes.Source, logs changes.LogQuerier, service string) ([]changes.Event, error) {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		out   []changes.Event
		first error
	)
	for _, s := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var evs []changes.Event
			var err error
			switch {
			case s.Logs == "":
				evs, err = changes.Fetch(ctx, r.src, s, r.from, r.to, r.step, service)
			case logs == nil:
				err = fmt.Errorf("changes %s: a log query needs a log backend in this context", s.Name)
			default:
				evs, err = changes.FetchLogs(ctx, logs, s, r.from, r.to, service)
			}
			mu.Lock()
			defer mu.Unlock()
			out = append(out, evs...)
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	sort.SliceStable(out, func(i, j int) bool { return out[i].T.Before(out[j].T) })
	return out, first
}

// changeTimes are the markers for the charts.
func (m *Model) changeTimes() []time.Time {
	out := make([]time.Time, len(m.changes))
	for i, e := range m.changes {
		out[i] = e.T
	}
	return out
}

// changeTolerance is how near the cursor must be to a change to be on
// it: one chart cell.
func (m *Model) changeTolerance() time.Duration {
	p, ok := m.cursorPanel()
	if !ok {
		return 0
	}
	cell := p.to.Sub(p.from) / time.Duration(max(1, m.plotWidth()))
	return max(p.step, cell)
}

// changeAtCursor is the change the cursor is on, if any.
func (m *Model) changeAtCursor() (changes.Event, bool) {
	if m.cursor.IsZero() || m.mode != modeSignals {
		return changes.Event{}, false
	}
	return changes.Near(m.changes, m.cursor, m.changeTolerance())
}

// stepChange moves the cursor to the next (d=1) or previous change.
func (m *Model) stepChange(d int) {
	if m.mode != modeSignals || len(m.changes) == 0 {
		m.flash = "no changes in this range"
		if m.chErr != nil {
			kind, msg := pane.ErrText(m.chErr)
			m.flash = "changes: " + kind + ": " + msg
		} else if len(m.changeSrcs) == 0 {
			m.flash = "no change sources: add changes: to the context's config"
		}
		return
	}
	m.exSel = -1
	at := m.cursor
	if at.IsZero() {
		at = m.moment().Add(time.Nanosecond)
	}
	i := sort.Search(len(m.changes), func(i int) bool { return !m.changes[i].T.Before(at) })
	if d > 0 {
		i = sort.Search(len(m.changes), func(i int) bool { return m.changes[i].T.After(at) })
	} else {
		i--
	}
	i = (i + len(m.changes)) % len(m.changes)
	m.cursor = m.changes[i].T
}

// changeReadout says what changed at the cursor.
func (m *Model) changeReadout(e changes.Event) string {
	return fmt.Sprintf("◇ %s at %s — L opens its logs", e.String(), e.T.In(m.base.Location).Format("15:04:05"))
}
