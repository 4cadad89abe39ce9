package logs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestQueryShowsSpinnerThenResults(t *testing.T) {
	src := &fakeSource{}
	release := make(chan struct{})
	src.setQuery(func(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error) {
		<-release
		return &sources.LogResult{Entries: entries(3, fixedNow, plainLine)}, nil
	})
	m, _ := newTestModel(t, src, 80, 24)
	cmd := press(m, "i")
	if !m.Editing() {
		t.Fatal("i did not focus the editor")
	}
	press(m, `{app="api"}`)
	cmd = press(m, "enter")
	if m.Editing() || !m.query.Busy() || cmd == nil {
		t.Fatalf("enter: editing=%v querying=%v cmd=%v", m.Editing(), m.query.Busy(), cmd != nil)
	}
	if v := m.View(); !strings.Contains(v, "querying 09:30:00–10:30:00") || !strings.Contains(v, "waiting for Loki") {
		t.Fatalf("no spinner/wait text while querying:\n%s", v)
	}
	if n := src.queries.Load(); n != 0 {
		t.Fatalf("Update ran the query itself (%d calls)", n)
	}
	close(release)
	settle(m, cmd)
	if m.query.Busy() || m.buf.Len() != 3 {
		t.Fatalf("after result: querying=%v lines=%d", m.query.Busy(), m.buf.Len())
	}
	q := src.seen[0]
	if q.Expr != `{app="api"}` || !q.From.Equal(fixedNow.Add(-time.Hour)) || !q.To.Equal(fixedNow) || q.Direction != sources.Backward || q.Limit != DefaultLimit {
		t.Fatalf("query sent = %+v", q)
	}
	v := m.View()
	for _, want := range []string{"3 lines", "request 0 handled", "request 2 handled", ">"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// Oldest first, newest (selected) at the bottom.
	if strings.Index(v, "request 0 handled") > strings.Index(v, "request 2 handled") {
		t.Errorf("lines not oldest-first:\n%s", v)
	}
	if got := m.History(); len(got) != 1 || got[0] != `{app="api"}` {
		t.Errorf("history = %q", got)
	}
}

func TestStaleResultDropped(t *testing.T) {
	src := &fakeSource{}
	m, _ := newTestModel(t, src, 80, 24)
	m.editor.SetValue(`{app="old"}`)
	press(m, "i", "enter")
	oldSeq := m.query.Seq()
	m.editor.SetValue(`{app="new"}`)
	press(m, "i", "enter")
	// The first query's answer arrives late: it must not replace anything.
	m.Update(resultMsg{Pane: "logs", Name: "query", Seq: oldSeq, Value: answer{q: sources.LogQuery{Expr: `{app="old"}`}, rows: buildRows(entries(5, fixedNow, plainLine), true)}})
	if m.buf.Len() != 0 || !m.query.Busy() {
		t.Fatalf("stale result applied: lines=%d querying=%v", m.buf.Len(), m.query.Busy())
	}
	// A result for another pane is ignored too.
	m.Update(resultMsg{Pane: "other", Name: "query", Seq: m.query.Seq(), Value: answer{rows: buildRows(entries(5, fixedNow, plainLine), true)}})
	if m.buf.Len() != 0 {
		t.Fatal("result for another pane applied")
	}
	m.Update(resultMsg{Pane: "logs", Name: "query", Seq: m.query.Seq(), Value: answer{q: sources.LogQuery{Expr: `{app="new"}`, Limit: 10}, rows: buildRows(entries(2, fixedNow, plainLine), true)}})
	if m.buf.Len() != 2 || m.shown.Expr != `{app="new"}` {
		t.Fatalf("current result not applied: lines=%d shown=%q", m.buf.Len(), m.shown.Expr)
	}
}

func TestCancelOnNewQuery(t *testing.T) {
	src := &fakeSource{}
	ctxs := make(chan context.Context, 4)
	src.setQuery(func(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error) {
		ctxs <- ctx
		if q.Expr == `{app="slow"}` {
			<-ctx.Done()
			return nil, &sources.Error{Backend: "loki", Kind: sources.KindCanceled, Err: ctx.Err()}
		}
		return &sources.LogResult{Entries: entries(4, fixedNow, plainLine)}, nil
	})
	m, _ := newTestModel(t, src, 80, 24)
	m.editor.SetValue(`{app="slow"}`)
	slow := press(m, "i", "enter")
	slowMsgs := make(chan []tea.Msg, 1)
	go func() { slowMsgs <- panetest.Collect(slow, 2*time.Second) }()
	first := <-ctxs
	if _, ok := first.Deadline(); !ok {
		t.Error("query context has no deadline")
	}
	m.editor.SetValue(`{app="fast"}`)
	fast := press(m, "i", "enter")
	select {
	case <-first.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("the first query was not cancelled by the second")
	}
	settle(m, fast)
	<-ctxs // the fast query's
	for _, msg := range <-slowMsgs {
		m.Update(msg) // the cancelled answer arrives last and is dropped
	}
	if m.buf.Len() != 4 || m.lastErr() != nil {
		t.Fatalf("after cancel: lines=%d err=%v", m.buf.Len(), m.lastErr())
	}

	// esc while a query runs cancels it and keeps the results.
	m.editor.SetValue(`{app="slow"}`)
	slow = press(m, "i", "enter")
	go panetest.Collect(slow, time.Second)
	second := <-ctxs
	press(m, "esc")
	select {
	case <-second.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("esc did not cancel the query")
	}
	if m.query.Busy() || m.buf.Len() != 4 || !strings.Contains(m.View(), "query cancelled") {
		t.Fatalf("esc: querying=%v lines=%d\n%s", m.query.Busy(), m.buf.Len(), m.View())
	}
}

func TestErrorKeepsPreviousResults(t *testing.T) {
	m, src, clk := loaded(t, 5, 100, 24)
	src.setQuery(func(context.Context, sources.LogQuery) (*sources.LogResult, error) {
		return nil, &sources.Error{Backend: "loki", Op: "query_range", Kind: sources.KindBadQuery, Status: 400,
			Msg: "parse error at line 1, col 4: syntax error: unexpected IDENTIFIER"}
	})
	clk.Add(2 * time.Minute)
	m.editor.SetValue(`{app="api"} | bad`)
	settle(m, press(m, "i", "enter"))
	if m.lastErr() == nil || m.buf.Len() != 5 {
		t.Fatalf("err=%v lines=%d", m.lastErr(), m.buf.Len())
	}
	v := m.View()
	for _, want := range []string{"bad query", "parse error at line 1, col 4", "previous 5 lines from 2m ago", "stale, 2m old", "request 4 handled"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// A plain (unclassified) error still shows a kind and a reason.
	src.setQuery(func(context.Context, sources.LogQuery) (*sources.LogResult, error) {
		return nil, context.DeadlineExceeded
	})
	settle(m, press(m, "i", "enter"))
	if v := m.View(); !strings.Contains(v, "timeout: context deadline exceeded") {
		t.Errorf("timeout not shown:\n%s", v)
	}
	// Navigation still works on the stale results.
	press(m, "g")
	if m.sel != 0 {
		t.Errorf("g: sel=%d", m.sel)
	}
	// A successful query clears the error.
	src.returning(entries(2, fixedNow, plainLine))
	settle(m, press(m, "i", "enter"))
	if m.lastErr() != nil || strings.Contains(m.View(), "✗") {
		t.Errorf("error not cleared:\n%s", m.View())
	}
}

func TestNavigation(t *testing.T) {
	m, _, _ := loaded(t, 100, 80, 24)
	lh := m.listHeight()
	if m.sel != 99 || m.top != 100-lh {
		t.Fatalf("start: sel=%d top=%d lh=%d", m.sel, m.top, lh)
	}
	press(m, "g")
	if m.sel != 0 || m.top != 0 {
		t.Fatalf("g: sel=%d top=%d", m.sel, m.top)
	}
	press(m, "j", "j", "down")
	if m.sel != 3 {
		t.Fatalf("jj↓: sel=%d", m.sel)
	}
	press(m, "k")
	if m.sel != 2 {
		t.Fatalf("k: sel=%d", m.sel)
	}
	press(m, "pgdown")
	if m.sel != 2+lh-1 || m.top == 0 {
		t.Fatalf("pgdn: sel=%d top=%d", m.sel, m.top)
	}
	press(m, "pgup")
	if m.sel != 2 {
		t.Fatalf("pgup: sel=%d", m.sel)
	}
	press(m, "G")
	if m.sel != 99 {
		t.Fatalf("G: sel=%d", m.sel)
	}
	if v := m.View(); !strings.Contains(v, "100/100") {
		t.Errorf("position not shown:\n%s", v)
	}
}

func TestFilterNextPrevAndContext(t *testing.T) {
	src := &fakeSource{}
	lines := func(i int) string {
		if i%10 == 3 {
			return "level=error msg=\"upstream TimeOut\" attempt=" + string(rune('0'+i/10))
		}
		return plainLine(i)
	}
	src.returning(entries(50, fixedNow, lines))
	m, _ := newTestModelIn(t, termenv.ANSI256, src, 120, 30)
	m.editor.SetValue(`{app="api"}`)
	settle(m, press(m, "i", "enter"))

	press(m, "/")
	if !m.Editing() {
		t.Fatal("/ did not open the filter input")
	}
	press(m, "timeout", "enter")
	if m.Editing() || m.flt == nil {
		t.Fatal("filter not applied")
	}
	if got := m.flt.matches; len(got) != 5 || got[0] != 3 || got[4] != 43 {
		t.Fatalf("matches = %v", got)
	}
	if m.viewLen() != 5 || m.sel != 4 {
		t.Fatalf("viewLen=%d sel=%d", m.viewLen(), m.sel)
	}
	v := m.View()
	if !strings.Contains(v, "/timeout: 5 matches") {
		t.Errorf("filter status missing:\n%s", v)
	}
	// The match is drawn in the match style, case kept.
	hl := m.st.Match.Inherit(m.st.Selected).Render("TimeOut")
	if !strings.Contains(v, hl) {
		t.Errorf("match not highlighted (want %q):\n%q", hl, v)
	}
	press(m, "g")
	press(m, "n")
	if abs, _ := m.selected(); abs != 13 {
		t.Fatalf("n: selected %d, want 13", abs)
	}
	press(m, "N", "N")
	if abs, _ := m.selected(); abs != 43 || !strings.Contains(m.View(), "wrapped to the last match") {
		t.Fatalf("NN: selected %d, want 43 (wrapped)", abs)
	}

	// Context: ±3 lines around each match, matches still the n/N targets.
	press(m, "c")
	if m.viewLen() != 5*7 {
		t.Fatalf("context view has %d rows, want 35", m.viewLen())
	}
	if abs, _ := m.selected(); abs != 43 {
		t.Fatalf("context toggle lost the selection: %d", abs)
	}
	press(m, "g")
	if abs, _ := m.selected(); abs != 0 {
		t.Fatalf("g in context: %d", abs)
	}
	press(m, "n")
	if abs, _ := m.selected(); abs != 3 {
		t.Fatalf("n in context: %d", abs)
	}
	press(m, "n")
	if abs, _ := m.selected(); abs != 13 {
		t.Fatalf("n in context: %d", abs)
	}
	if v := m.View(); !strings.Contains(v, "--") || !strings.Contains(v, "±3") {
		t.Errorf("context groups not separated:\n%s", v)
	}
	press(m, "c")
	if m.viewLen() != 5 {
		t.Fatalf("context off: %d rows", m.viewLen())
	}
	// esc clears the filter and keeps the selected line selected.
	press(m, "esc")
	if m.flt != nil || m.viewLen() != 50 {
		t.Fatalf("esc: filter=%v rows=%d", m.flt, m.viewLen())
	}
	if abs, _ := m.selected(); abs != 13 {
		t.Fatalf("esc lost the selection: %d", abs)
	}
	// No match: said plainly.
	press(m, "/", "nomatch-xyz", "enter")
	if v := m.View(); !strings.Contains(v, `No buffered line contains "nomatch-xyz"`) {
		t.Errorf("no-match message missing:\n%s", v)
	}
}

func TestFilterFollowsTailAndEviction(t *testing.T) {
	src := &fakeSource{}
	src.returning(entries(10, fixedNow, plainLine))
	r := New(Config{Source: src, Basics: pane.Basics{Now: panetest.NewClock(fixedNow).Now, Location: time.UTC}, MaxLines: 12})
	defer r.Close()
	r.SetSize(80, 20)
	r.editor.SetValue(`{app="api"}`)
	settle(r, press(r, "i", "enter"))
	press(r, "/", "error", "enter")
	before := len(r.flt.matches) // rows 3 and 7
	run := startTestTail(r)
	r.Update(tailBatchMsg{run: run, rows: buildRows(entries(4, fixedNow.Add(time.Minute), func(i int) string {
		return "level=error msg=new" + string(rune('a'+i))
	}), true)})
	// 14 rows pushed into 12: rows 0 and 1 evicted; 4 new matches.
	if r.buf.Len() != 12 || r.buf.first() != 2 {
		t.Fatalf("buffer: len=%d first=%d", r.buf.Len(), r.buf.first())
	}
	if got := len(r.flt.matches); got != before+4 {
		t.Fatalf("matches after tail = %d, want %d", got, before+4)
	}
	if abs, _ := r.selected(); abs != 13 {
		t.Fatalf("follow: selected %d, want 13", abs)
	}
	// Evicting a match drops it from the filter.
	r.Update(tailBatchMsg{run: run, rows: buildRows(entries(5, fixedNow.Add(2*time.Minute), plainLine), true)})
	if r.flt.matches[0] < r.buf.first() {
		t.Fatalf("evicted match kept: %v first=%d", r.flt.matches, r.buf.first())
	}
}

func TestDetailView(t *testing.T) {
	src := &fakeSource{}
	es := []sources.LogEntry{
		{Time: fixedNow.Add(-3 * time.Second), Labels: map[string]string{"app": "api"}, Line: `{"level":"error","msg":"boom","user":{"id":7}}`},
		{Time: fixedNow.Add(-2 * time.Second), Labels: map[string]string{"app": "api"}, Line: `level=warn msg="slow query" took=1.2s table=orders`,
			Metadata: map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "pod": "api-7d9"}},
		{Time: fixedNow.Add(-1 * time.Second), Labels: map[string]string{"app": "api"}, Line: "just prose, with a = sign"},
	}
	// Newest first, as a backward query answers.
	src.returning([]sources.LogEntry{es[2], es[1], es[0]})
	m, _ := newTestModel(t, src, 80, 40)
	m.editor.SetValue(`{app="api"}`)
	settle(m, press(m, "i", "enter"))

	press(m, "g", "enter")
	if m.mode != modeDetail {
		t.Fatal("enter did not open the detail view")
	}
	v := m.View()
	for _, want := range []string{"JSON", `"level": "error"`, `  "user": {`, `    "id": 7`, "app", "level  error", "(none)"} {
		if !strings.Contains(v, want) {
			t.Errorf("JSON detail lacks %q:\n%s", want, v)
		}
	}
	press(m, "esc")
	if m.mode != modeList {
		t.Fatal("esc did not close the detail view")
	}
	press(m, "j", "enter")
	v = m.View()
	for _, want := range []string{"Fields (logfmt)", "msg", "slow query", "took", "1.2s", "Structured metadata", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "pod", "level  warn"} {
		if !strings.Contains(v, want) {
			t.Errorf("logfmt detail lacks %q:\n%s", want, v)
		}
	}
	press(m, "esc", "j", "enter")
	v = m.View()
	if strings.Contains(v, "Fields") || strings.Contains(v, "JSON") || !strings.Contains(v, "just prose, with a = sign") {
		t.Errorf("prose line shown as fields:\n%s", v)
	}
}

func TestTailBatchesRateAndReconnect(t *testing.T) {
	m, src, clk := loaded(t, 5, 100, 24)
	cmd := press(m, "t")
	if !m.tail.Busy() || cmd == nil {
		t.Fatal("t did not start the tail")
	}
	if v := m.View(); !strings.Contains(v, "tail connecting") {
		t.Errorf("no connecting state:\n%s", v)
	}
	if src.tails.Load() != 0 {
		t.Fatal("Update opened the tail itself")
	}
	msgs := panetest.Collect(cmd, 200*time.Millisecond)
	var read tea.Cmd
	for _, msg := range msgs {
		if _, ok := msg.(tailStartedMsg); ok {
			_, read = m.Update(msg)
		}
	}
	if src.tails.Load() != 1 || read == nil {
		t.Fatalf("tail not opened: calls=%d", src.tails.Load())
	}
	// A live range resumes just after the newest buffered line.
	if want := fixedNow.Add(-time.Second).Add(time.Nanosecond); !src.starts[0].Equal(want) {
		t.Errorf("tail start = %v, want %v", src.starts[0], want)
	}
	ft := src.tailers[0]
	ft.setState(sources.TailLive, nil)
	m.Update(tailTickMsg{run: tailRun(m), status: ft.Status()})

	// Two batches: 50 lines after 1s, 73 lines after 5s.
	feed := func(n int, at time.Duration) {
		clk.Add(fixedNow.Add(at).Sub(clk.Now()))
		ft.ch <- entries(n, fixedNow.Add(at), plainLine)
		var next tea.Cmd
		for _, msg := range panetest.Collect(read, 300*time.Millisecond) {
			_, next = m.Update(msg)
		}
		read = next
	}
	feed(50, time.Second)
	feed(73, 5*time.Second)
	if m.buf.Len() != 5+50+73 {
		t.Fatalf("buffer has %d lines", m.buf.Len())
	}
	if abs, _ := m.selected(); abs != m.buf.end()-1 {
		t.Errorf("did not follow the newest line")
	}
	clk.Add(fixedNow.Add(10 * time.Second).Sub(clk.Now()))
	if v := m.View(); !strings.Contains(v, "● live 12.3 lines/s") {
		t.Errorf("rate missing:\n%s", v)
	}
	// A reconnect shows with its reason and count.
	ft.setState(sources.TailReconnecting, &sources.Error{Backend: "loki", Op: "tail", Kind: sources.KindUnreachable, Msg: "connection refused"})
	m.Update(tailTickMsg{run: tailRun(m), status: ft.Status()})
	if v := m.View(); !strings.Contains(v, "tail reconnecting (1): unreachable") {
		t.Errorf("reconnect state missing:\n%s", v)
	}
	// The tail ending with an error says so; the lines stay.
	ft.end(&sources.Error{Backend: "loki", Op: "tail", Kind: sources.KindUnauthorized, Msg: "no org id"})
	settle(m, read)
	v := m.View()
	if m.tail.Busy() || !strings.Contains(v, "tail unauthorized: no org id") || m.buf.Len() != 128 {
		t.Errorf("tail end: tailing=%v lines=%d\n%s", m.tail.Busy(), m.buf.Len(), v)
	}
}

func TestNewQueryStopsAndRestartsTail(t *testing.T) {
	m, src, _ := loaded(t, 5, 100, 24)
	settle(m, press(m, "t"))
	if src.tails.Load() != 1 {
		t.Fatal("tail not opened")
	}
	first := src.tailers[0]
	settle(m, press(m, "i", "enter"))
	select {
	case <-first.ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("new query did not cancel the tail")
	}
	if src.tails.Load() != 2 || !m.tail.Busy() {
		t.Fatalf("tail not restarted after the new results: calls=%d tailing=%v", src.tails.Load(), m.tail.Busy())
	}
	// t stops it and cancels its context, and with it the timer of the
	// tail's once-a-second state refresh.
	tick := tailTickCmd(m.tailCtx, m.tailer, tailRun(m))
	press(m, "t")
	select {
	case <-src.tailers[1].ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("t did not cancel the tail")
	}
	if msg := tick(); msg != nil {
		t.Fatalf("the stopped tail's timer still sent %T", msg)
	}
	// Close cancels everything.
	settle(m, press(m, "t"))
	m.Close()
	select {
	case <-src.tailers[2].ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("Close did not cancel the tail")
	}
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := &fakeSource{}
	src.returning(entries(20, fixedNow, plainLine))
	m, _ := newTestModel(t, src, 80, 24)
	var cmds []tea.Cmd
	step := func(msg tea.Msg) {
		_, cmd := m.Update(msg)
		cmds = append(cmds, cmd)
		_ = m.View()
	}
	// Results are delivered by hand, so no Cmd runs.
	for _, k := range []string{"i", `{app="api"}`, "enter", "esc", "t", "/", "x", "enter", "esc", "n", "c", "w", "l", "T", "10:00", "enter", "y", "e", "enter", "esc", "G"} {
		step(panetest.Key(k))
	}
	step(resultMsg{Pane: "logs", Name: "query", Seq: m.query.Seq(), Value: answer{q: sources.LogQuery{Expr: "x", Limit: 100}, rows: buildRows(entries(20, fixedNow, plainLine), true)}})
	step(pane.RangeMsg{From: fixedNow.Add(-2 * time.Hour), To: fixedNow, Live: false})
	step(panetest.Key("t"))
	for _, k := range []string{"j", "k", "pgdown", "g", "enter", "y", "esc"} {
		step(panetest.Key(k))
	}
	if q, tl := src.queries.Load(), src.tails.Load(); q != 0 || tl != 0 {
		t.Fatalf("Update/View made backend calls: queries=%d tails=%d", q, tl)
	}
	// Only running the returned Cmds reaches the backend.
	for _, c := range cmds {
		panetest.Collect(c, 100*time.Millisecond)
	}
	if src.queries.Load() == 0 || src.tails.Load() == 0 {
		t.Fatalf("Cmds did not do the work: queries=%d tails=%d", src.queries.Load(), src.tails.Load())
	}
}

func TestHistory(t *testing.T) {
	m, _ := newTestModel(t, &fakeSource{}, 80, 24)
	m.SetHistory([]string{`{a="1"}`, "  ", "{b=\"2\"}\x1b[31m"})
	if got := m.History(); len(got) != 2 || got[1] != `{b="2"}` {
		t.Fatalf("SetHistory = %q", got)
	}
	press(m, "i", "draft")
	press(m, "up")
	if m.editor.Value() != `{b="2"}` {
		t.Fatalf("up: %q", m.editor.Value())
	}
	press(m, "up", "up")
	if m.editor.Value() != `{a="1"}` {
		t.Fatalf("up up: %q", m.editor.Value())
	}
	press(m, "down", "down")
	if m.editor.Value() != "draft" {
		t.Fatalf("back to draft: %q", m.editor.Value())
	}
	m.editor.SetValue(`{b="2"}`)
	press(m, "enter")
	if got := m.History(); len(got) != 2 {
		t.Fatalf("repeat added to history: %q", got)
	}
}

func TestJumpToTime(t *testing.T) {
	m, _, _ := loaded(t, 600, 80, 24) // 10:19:59 .. 10:29:59
	press(m, "T", "10:25", "enter")
	if abs, _ := m.selected(); m.buf.at(abs).e.Time != time.Date(2026, 11, 22, 10, 25, 0, 0, time.UTC) {
		t.Fatalf("10:25 selected %v", m.buf.at(abs).e.Time)
	}
	if m.top != m.sel {
		t.Errorf("jumped line not at the top: top=%d sel=%d", m.top, m.sel)
	}
	press(m, "T", "2026-11-22T10:21:30Z", "enter")
	if abs, _ := m.selected(); m.buf.at(abs).e.Time != time.Date(2026, 11, 22, 10, 21, 30, 0, time.UTC) {
		t.Fatalf("RFC 3339 selected %v", m.buf.at(abs).e.Time)
	}
	press(m, "T", "9:00", "enter")
	if m.sel != 0 || !strings.Contains(m.View(), "before the oldest line shown") {
		t.Fatalf("before range: sel=%d\n%s", m.sel, m.View())
	}
	press(m, "T", "5m ago", "enter")
	if abs, _ := m.selected(); m.buf.at(abs).e.Time != fixedNow.Add(-5*time.Minute) {
		t.Fatalf("5m ago selected %v", m.buf.at(abs).e.Time)
	}
	press(m, "T", "tomorrowish", "enter")
	if !strings.Contains(m.View(), "invalid time") {
		t.Fatalf("bad time not reported:\n%s", m.View())
	}
}

func TestCopyProducesOSC52(t *testing.T) {
	m, _, _ := loaded(t, 3, 80, 24)
	m.buf.at(m.buf.end() - 1).e.Line = "secret\x1b]0;x\x07 value"
	cmd := press(m, "y")
	msgs := panetest.Collect(cmd, 100*time.Millisecond)
	if len(msgs) != 1 {
		t.Fatalf("copy msgs = %v", msgs)
	}
	cm, ok := msgs[0].(pane.CopyMsg)
	if !ok {
		t.Fatalf("got %T", msgs[0])
	}
	if cm.Text != "secret value" {
		t.Errorf("copied text %q is not sanitized", cm.Text)
	}
	if !strings.HasPrefix(cm.Sequence, "\x1b]52;c;") || !strings.HasSuffix(cm.Sequence, "\x07") {
		t.Errorf("sequence %q", cm.Sequence)
	}
	if !strings.Contains(m.View(), "copied 12 bytes") {
		t.Errorf("no copy feedback:\n%s", m.View())
	}
}

func TestLongLineCapAndExpand(t *testing.T) {
	src := &fakeSource{}
	long := strings.Repeat("abcdefghij", 500) // 5,000 runes
	src.returning([]sources.LogEntry{{Time: fixedNow, Line: long}})
	m, _ := newTestModel(t, src, 80, 60)
	m.editor.SetValue(`{app="api"}`)
	settle(m, press(m, "i", "enter"))
	press(m, "w")
	v := m.View()
	if !strings.Contains(v, "…(+3000)") {
		t.Fatalf("cap marker missing:\n%s", v)
	}
	if h := m.rowHeight(0); h != 32 {
		t.Errorf("wrapped capped row takes %d lines", h)
	}
	press(m, "e")
	if strings.Contains(m.View(), "…(+3000)") {
		t.Errorf("expanded line still capped")
	}
	if h := m.rowHeight(0); h != m.listHeight() {
		t.Errorf("expanded row takes %d lines, want the screen (%d)", h, m.listHeight())
	}
	press(m, "e", "w")
	if h := m.rowHeight(0); h != 1 {
		t.Errorf("unwrapped row takes %d lines", h)
	}
	for _, l := range strings.Split(m.View(), "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Fatalf("line wider than the pane (%d): %q", w, l)
		}
	}
}

func TestLevelDetection(t *testing.T) {
	cases := []struct {
		e    sources.LogEntry
		want level
	}{
		{sources.LogEntry{Labels: map[string]string{"level": "ERROR"}}, levelError},
		{sources.LogEntry{Labels: map[string]string{"severity": "warning"}}, levelWarn},
		{sources.LogEntry{Metadata: map[string]string{"detected_level": "debug"}}, levelDebug},
		{sources.LogEntry{Line: `{"ts":1,"level":"info","msg":"x"}`}, levelInfo},
		{sources.LogEntry{Line: `{"ts":1, "lvl": "warn"}`}, levelWarn},
		{sources.LogEntry{Line: `ts=1 level=error msg="x"`}, levelError},
		{sources.LogEntry{Line: `ts=1 loglevel=error`}, levelNone},
		{sources.LogEntry{Line: `the level of water`}, levelNone},
		{sources.LogEntry{Line: `plain`}, levelNone},
	}
	for _, c := range cases {
		if got := detectLevel(c.e); got != c.want {
			t.Errorf("detectLevel(%+v) = %v, want %v", c.e, got, c.want)
		}
	}
}

func TestLabelsToggleAndRangeMsg(t *testing.T) {
	m, src, _ := loaded(t, 3, 120, 24)
	if strings.Contains(m.View(), `env="dev"`) {
		t.Fatal("labels shown by default")
	}
	press(m, "l")
	if !strings.Contains(m.View(), `{app="api", env="dev"}`) {
		t.Fatalf("labels not shown:\n%s", m.View())
	}
	from := fixedNow.Add(-3 * time.Hour)
	_, cmd := m.Update(pane.RangeMsg{From: from, To: fixedNow.Add(-2 * time.Hour)})
	settle(m, cmd)
	if q := src.seen[len(src.seen)-1]; !q.From.Equal(from) || q.Expr != `{app="api"}` {
		t.Fatalf("RangeMsg re-ran %+v", q)
	}
}

func TestErrorsAreNotInterpreted(t *testing.T) {
	// errors.Join of a sources.Error keeps its kind.
	err := errors.Join(&sources.Error{Kind: sources.KindRateLimited, Msg: "slow down"})
	if k, msg := pane.ErrText(err); k != "rate limited" || msg != "slow down" {
		t.Fatalf("errText = %q, %q", k, msg)
	}
}
