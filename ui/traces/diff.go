package traces

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// diffMsg is the answer to the diff key: the open trace compared with a
// healthy baseline, prepared for the view in the Cmd.
type diffMsg = pane.Result[*diffResult]

// diffResult is a correlate.TraceDiff with every string from outside
// sanitized once, so the view draws them as they are.
type diffResult struct {
	slow, base   diffSide
	reason       string // why this baseline
	considered   int
	tally        string // the candidates counted by decision
	notes        []string
	matched      int
	onlySlow     int
	onlyBase     int
	rows         []diffRow
	extra        time.Duration // slow root minus baseline root
	computedFrom string        // the slow trace's id, sanitized, as the tree has it
}

type diffSide struct {
	id       string
	name     string // root service and operation
	duration time.Duration
	spans    int
	errors   int
}

type diffRow struct {
	name     string // "svc op", "#n" for the n-th call of a name
	under    string // the parent's path, "(root)" at the top
	presence correlate.Presence
	slowSpan string // the span id in the slow trace, "" when absent
	slowErr  bool
	baseErr  bool

	critDelta, selfDelta, totalDelta time.Duration
	slowTotal, baseTotal             time.Duration
}

// diff fetches the trace again (the tree keeps only what the waterfall
// needs), lets correlate.FindBaseline search the baseline candidates
// and pick one, and compares the two. Each
// call gets its own timeout: a diff is up to nine calls, and one slow
// slice should not starve the rest.
func diff(src Source, traceID string, now time.Time, timeout time.Duration) func(context.Context) (*diffResult, error) {
	return func(ctx context.Context) (*diffResult, error) {
		call := func(f func(ctx context.Context) error) error {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return f(ctx)
		}
		var slow *sources.Trace
		if err := call(func(ctx context.Context) (err error) {
			slow, err = src.GetTrace(ctx, traceID)
			return err
		}); err != nil {
			return nil, err
		}
		if slow == nil || len(slow.Spans) == 0 {
			return nil, fmt.Errorf("trace %s has no spans", traceID)
		}
		search := func(ctx context.Context, q correlate.BaselineQuery) (ts []sources.Trace, err error) {
			err = call(func(ctx context.Context) (err error) {
				ts, err = src.FindTraces(ctx, jaeger.FindQuery{Service: q.Service, Operation: q.Operation, Start: q.From, End: q.To, Limit: q.Limit})
				return err
			})
			return ts, err
		}
		base, b, err := correlate.FindBaseline(ctx, *slow, now, search)
		if err != nil {
			return nil, err
		}
		if base == nil || len(base.Spans) == 0 {
			// Search results may be trimmed; fetch the chosen one whole.
			if err := call(func(ctx context.Context) (err error) {
				base, err = src.GetTrace(ctx, b.TraceID)
				return err
			}); err != nil {
				return nil, fmt.Errorf("fetch baseline %s: %w", b.TraceID, err)
			}
		}
		d := correlate.Diff(*slow, *base)
		return prepareDiff(&d, b), nil
	}
}

// prepareDiff turns a diff into what the view draws, sanitizing every
// string that came from the backend.
func prepareDiff(d *correlate.TraceDiff, b correlate.Baseline) *diffResult {
	cl := sanitize.Line
	side := func(s correlate.TraceSide) diffSide {
		return diffSide{id: cl(s.TraceID), name: cl(s.Service + " " + s.Operation), duration: s.Duration, spans: s.Spans, errors: s.Errors}
	}
	r := &diffResult{
		slow: side(d.Slow), base: side(d.Base), reason: cl(b.Reason),
		considered: len(b.Considered), tally: cl(correlate.TallyCandidates(b.Considered)),
		matched: d.Matched, onlySlow: d.OnlySlow, onlyBase: d.OnlyBase,
		extra: d.Slow.Duration - d.Base.Duration, computedFrom: cl(d.Slow.TraceID),
	}
	for _, n := range b.Notes {
		r.notes = append(r.notes, cl(n))
	}
	r.rows = make([]diffRow, len(d.Rows))
	for i, dr := range d.Rows {
		name := dr.Service + " " + dr.Operation
		if dr.Ordinal > 0 {
			name += fmt.Sprintf("#%d", dr.Ordinal+1)
		}
		under := "(root)"
		if dr.Parent >= 0 {
			under = d.Path(dr.Parent)
		}
		row := diffRow{
			name: cl(name), under: cl(under), presence: dr.Presence,
			slowErr: dr.Slow.Error, baseErr: dr.Base.Error,
			critDelta: dr.CriticalDelta, selfDelta: dr.SelfDelta, totalDelta: dr.TotalDelta,
			slowTotal: dr.Slow.Total, baseTotal: dr.Base.Total,
		}
		if dr.Presence != correlate.OnlyBase {
			row.slowSpan = cl(dr.Slow.SpanID)
		}
		r.rows[i] = row
	}
	return r
}

// diffState is the diff key's part of the model.
type diffState struct {
	// req runs the diff; its Err is why the last one failed.
	req pane.Request[*diffResult]
	// res is the diff shown, kept while a new one runs.
	res *diffResult
	// sel and top are the cursor and the first row on screen.
	sel, top int
}

// startDiff compares the open trace with a healthy baseline. The
// waterfall stays on screen until the answer comes.
func (m *Model) startDiff() tea.Cmd {
	if m.src == nil || m.tr == nil {
		return nil
	}
	if m.trace.Busy() {
		// The diff would be of the trace being replaced.
		m.flash = "wait for the trace to load, then diff it"
		return nil
	}
	// A new diff forgets why the last one failed; the diff shown stays.
	m.dv.req.Reset()
	return tea.Batch(m.dv.req.Start(m.ctx, diff(m.src, m.tr.traceID, m.b.Now(), m.b.Timeout)), m.spin.Start())
}

// dropDiff forgets the diff of the previous trace.
func (m *Model) dropDiff() {
	m.dv.req.Reset()
	m.dv.res = nil
	m.dv.sel, m.dv.top = 0, 0
	if m.mode == modeDiff {
		m.mode = modeTrace
	}
}

// onDiff shows an accepted diff. After an error the waterfall stays; its
// header says what failed.
func (m *Model) onDiff(msg diffMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	m.dv.res = msg.Value
	m.dv.sel, m.dv.top = 0, 0
	if m.mode == modeTrace {
		m.mode = modeDiff
	}
	m.clampDiff()
	return nil
}

// diffListHeight is the number of diff rows on screen.
func (m *Model) diffListHeight() int { return max(1, m.height-len(m.diffHeader())-1) }

func (m *Model) clampDiff() {
	if m.dv.res == nil {
		return
	}
	m.dv.sel, m.dv.top = pane.ClampScroll(m.dv.sel, m.dv.top, len(m.dv.res.rows), m.diffListHeight())
}

// diffKey handles the keys of the diff view.
func (m *Model) diffKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.dv.res == nil {
		m.mode = modeTrace
		return nil
	}
	lh := m.diffListHeight()
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeTrace
		return nil
	case key.Matches(msg, k.Up):
		m.dv.sel--
	case key.Matches(msg, k.Down):
		m.dv.sel++
	case key.Matches(msg, k.PageUp):
		m.dv.sel -= lh
		m.dv.top -= lh
	case key.Matches(msg, k.PageDown):
		m.dv.sel += lh
		m.dv.top += lh
	case key.Matches(msg, k.Top):
		m.dv.sel = 0
	case key.Matches(msg, k.Bottom):
		m.dv.sel = len(m.dv.res.rows) - 1
	case key.Matches(msg, k.DiffJump):
		m.jumpFromDiff()
		return nil
	}
	m.clampDiff()
	return nil
}

// jumpFromDiff shows the selected row's span in the waterfall.
func (m *Model) jumpFromDiff() {
	res := m.dv.res
	if m.dv.sel < 0 || m.dv.sel >= len(res.rows) {
		return
	}
	r := res.rows[m.dv.sel]
	if r.slowSpan == "" {
		m.flash = "this span is only in the baseline " + shortID(res.base.id) + "; the waterfall shows the slow trace"
		return
	}
	if m.tr == nil || m.tr.traceID != res.computedFrom {
		m.flash = "the waterfall shows another trace now"
		return
	}
	for i := range m.tr.nodes {
		if m.tr.nodes[i].span.SpanID == r.slowSpan {
			m.mode = modeTrace
			m.selectSpan(int32(i))
			return
		}
	}
	m.flash = "span " + r.slowSpan + " is not in the waterfall"
}

// diffErrKind names a diff failure for the error line: no baseline is
// not a backend failure, and the generic kind would say "unknown".
func diffErrKind(err error) (kind, reason string, ok bool) {
	var nb *correlate.NoBaselineError
	if errors.As(err, &nb) {
		return "baseline", sanitize.Line(err.Error()), true
	}
	return "", "", false
}

// diffSelection is what `p` pins from the diff: the row under the cursor
// with the comparison it belongs to, over the row's span in the slow
// trace, or the whole trace for a span only the baseline has.
func (m *Model) diffSelection() (incidents.Evidence, bool) {
	res := m.dv.res
	if res == nil || m.tr == nil || m.dv.sel < 0 || m.dv.sel >= len(res.rows) || m.tr.traceID != res.computedFrom {
		return incidents.Evidence{}, false
	}
	r := res.rows[m.dv.sel]
	from, to := m.tr.start, m.tr.end
	for i := range m.tr.nodes {
		if s := m.tr.nodes[i].span; r.slowSpan != "" && s.SpanID == r.slowSpan {
			from, to = s.Start, s.End()
			break
		}
	}
	snap := fmt.Sprintf("trace %s (%s) vs healthy baseline %s (%s): %s extra\nbaseline: %s\n#%d %s: explains %s of the extra time, critical Δ %s, self Δ %s, total %s/%s, in %s",
		res.slow.id, fmtDur(res.slow.duration), res.base.id, fmtDur(res.base.duration), fmtDelta(res.extra), res.reason,
		m.dv.sel+1, r.name, explains(r.critDelta, res.extra), fmtDelta(r.critDelta), fmtDelta(r.selfDelta),
		diffSideDur(r, r.slowTotal, true), diffSideDur(r, r.baseTotal, false), presenceLabel(r.presence))
	return incidents.Evidence{
		Kind: incidents.EvidenceSpan, Source: "jaeger", Query: m.tr.traceID,
		From: from, To: to, Snapshot: sanitize.Text(snap),
	}, true
}
