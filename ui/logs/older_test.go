package logs

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// pagedSource answers like a real backend over a fixed set of entries
// (oldest first): the newest Limit entries in [From, To), newest first.
// Two entries share each instant, so a page boundary falls inside one.
func pagedSource(n int) (*fakeSource, []sources.LogEntry) {
	labels := map[string]string{"app": "api"}
	all := make([]sources.LogEntry, n)
	start := fixedNow.Add(-time.Duration(n) * time.Second)
	for i := range all {
		all[i] = sources.LogEntry{Time: start.Add(time.Duration(i/2) * time.Second), Labels: labels, Line: fmt.Sprintf("line %06d", i)}
	}
	src := &fakeSource{}
	src.setQuery(func(_ context.Context, q sources.LogQuery) (*sources.LogResult, error) {
		var in []sources.LogEntry
		for _, e := range all {
			if !e.Time.Before(q.From) && e.Time.Before(q.To) {
				in = append(in, e)
			}
		}
		if len(in) > q.Limit {
			in = in[len(in)-q.Limit:]
		}
		out := make([]sources.LogEntry, len(in))
		for i := range in {
			out[len(in)-1-i] = in[i]
		}
		return &sources.LogResult{Entries: out}, nil
	})
	return src, all
}

func pagedModel(t *testing.T, src *fakeSource, maxLines int) *Model {
	m := build(t, Config{Source: src, Basics: atFixedNow(), Limit: 1000, MaxLines: maxLines})
	m.SetSize(100, 30)
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, false)
	m.editor.SetValue(`{app="api"}`)
	settle(m, press(m, "i", "enter"))
	return m
}

// Holding k past the oldest line loads the earlier pages in order: in the
// end the buffer is the backend's whole answer, no line twice, none
// missing, and each load keeps the selected line.
func TestScrollBackLoadsEarlierPages(t *testing.T) {
	src, all := pagedSource(3500)
	m := pagedModel(t, src, 1_000_000)
	if m.buf.Len() != 1000 {
		t.Fatalf("first page %d lines", m.buf.Len())
	}
	press(m, "g")
	for i := 0; i < 20 && m.buf.Len() < len(all); i++ {
		before, _ := m.selected()
		line := m.buf.at(before).e.Line
		cmd := press(m, "k")
		if !m.older.Busy() || !strings.Contains(m.View(), "loading older lines") {
			t.Fatalf("k at the oldest line shows no load (flash %q)", m.flash)
		}
		settle(m, cmd)
		if sel, _ := m.selected(); m.buf.at(sel).e.Line != line {
			t.Fatalf("the selection moved from %q to %q", line, m.buf.at(sel).e.Line)
		}
		press(m, "g")
	}
	if m.buf.Len() != len(all) {
		t.Fatalf("buffer %d lines, backend has %d", m.buf.Len(), len(all))
	}
	for i, e := range all {
		if got := m.buf.at(m.buf.first() + int64(i)).e.Line; got != e.Line {
			t.Fatalf("line %d is %q, want %q", i, got, e.Line)
		}
	}
	// Past the first line: nothing older, and it says so.
	settle(m, press(m, "k"))
	if !strings.Contains(m.flash, "no older lines") {
		t.Errorf("flash %q", m.flash)
	}
}

func TestScrollBackBoundedBufferDropsNewest(t *testing.T) {
	src, all := pagedSource(3000)
	m := pagedModel(t, src, 1500)
	settle(m, press(m, "g", "k"))
	if m.buf.Len() != 1500 {
		t.Fatalf("buffer %d lines, bound 1500", m.buf.Len())
	}
	// The page is the 1000 newest lines at or before the oldest's instant,
	// which it shares with the next line: 998 are new.
	if !strings.Contains(m.flash, "loaded 998 older lines; dropped the newest 498") {
		t.Errorf("flash %q", m.flash)
	}
	if first, last := m.buf.at(m.buf.first()).e.Line, m.buf.at(m.buf.end()-1).e.Line; first != all[1002].Line || last != all[2501].Line {
		t.Errorf("buffer %q..%q", first, last)
	}
}

func TestScrollBackKeepsFilterMatches(t *testing.T) {
	src, _ := pagedSource(2000)
	m := pagedModel(t, src, 1_000_000)
	settle(m, press(m, "/"))
	m.input.SetValue("5")
	settle(m, press(m, "enter"))
	finishScan(m, nil)
	press(m, "g")
	settle(m, press(m, "k"))
	finishScan(m, nil)
	want := 0
	for a := m.buf.first(); a < m.buf.end(); a++ {
		if strings.Contains(m.buf.at(a).text, "5") {
			want++
		}
	}
	if len(m.flt.matches) != want {
		t.Fatalf("%d matches after loading older lines, want %d", len(m.flt.matches), want)
	}
	for i := 1; i < len(m.flt.matches); i++ {
		if m.flt.matches[i] <= m.flt.matches[i-1] {
			t.Fatal("matches out of order")
		}
	}
}

// While tailing: a tailed batch that lands while the older page is on its
// way goes at the newest end, the page at the oldest, and the selected
// line stays selected.
func TestScrollBackWhileTailing(t *testing.T) {
	src, all := pagedSource(2500)
	m := pagedModel(t, src, 1_000_000)
	press(m, "g")
	sel, _ := m.selected()
	line := m.buf.at(sel).e.Line
	cmd := press(m, "k")
	var page tea.Msg
	for _, msg := range panetest.Collect(cmd, time.Second) {
		if _, ok := msg.(olderMsg); ok {
			page = msg
		}
	}
	if page == nil {
		t.Fatal("no page of older lines")
	}
	newer := []sources.LogEntry{
		{Time: fixedNow.Add(time.Second), Labels: all[0].Labels, Line: "tailed 1"},
		{Time: fixedNow.Add(2 * time.Second), Labels: all[0].Labels, Line: "tailed 2"},
	}
	m.Update(tailBatchMsg{run: startTestTail(m), rows: buildRows(newer, false)})
	m.Update(page)
	if sel, _ := m.selected(); m.buf.at(sel).e.Line != line {
		t.Errorf("selection moved to %q, want %q", m.buf.at(sel).e.Line, line)
	}
	// 998 older lines (two of the page share the boundary instant and are
	// already shown), the first 1,000, the 2 tailed.
	if m.buf.Len() != 998+1000+2 {
		t.Fatalf("buffer %d lines", m.buf.Len())
	}
	for i := int64(0); i < int64(m.buf.Len())-2; i++ {
		if got, want := m.buf.at(m.buf.first()+i).e.Line, all[502+i].Line; got != want {
			t.Fatalf("line %d %q, want %q", i, got, want)
		}
	}
	if m.buf.at(m.buf.end()-1).e.Line != "tailed 2" {
		t.Error("the tailed lines are not at the newest end")
	}
}

func TestScrollBackStatusSaysMoreCanLoad(t *testing.T) {
	src, _ := pagedSource(3500)
	m := pagedModel(t, src, 1_000_000)
	if v := m.View(); !strings.Contains(v, "(limit 1,000: newest shown)") {
		t.Fatalf("first page:\n%s", v)
	}
	settle(m, press(m, "g", "k"))
	if v := m.View(); !strings.Contains(v, "1,998 lines (k on the oldest loads more)") {
		t.Errorf("after a page:\n%s", v)
	}
}
