package incidentpane

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fixedNow is the instant the tests' clocks are pinned to.
var fixedNow = panetest.Epoch()

// countingStore counts every store call, so a test can prove that Update
// and View make none: only the returned Cmds may.
type countingStore struct {
	incidents.Store
	panetest.Backend
	// failAfter, when set, makes Append commit and then report it failed,
	// as a connection dropped after the commit would.
	failAfter atomic.Bool
}

func (c *countingStore) Declare(ctx context.Context, d incidents.Declaration) (incidents.Incident, error) {
	_ = c.Call(ctx) // counted only: the store answers
	return c.Store.Declare(ctx, d)
}

func (c *countingStore) Append(ctx context.Context, id int64, w incidents.Write) (incidents.Event, error) {
	_ = c.Call(ctx) // counted only: the store answers
	ev, err := c.Store.Append(ctx, id, w)
	if err == nil && c.failAfter.Load() {
		return incidents.Event{}, fmt.Errorf("%w: connection reset after commit", incidents.ErrUnavailable)
	}
	return ev, err
}

func (c *countingStore) Get(ctx context.Context, id int64) (incidents.Incident, error) {
	_ = c.Call(ctx) // counted only: the store answers
	return c.Store.Get(ctx, id)
}

func (c *countingStore) List(ctx context.Context, f incidents.Filter) ([]incidents.Incident, error) {
	_ = c.Call(ctx) // counted only: the store answers
	return c.Store.List(ctx, f)
}

func (c *countingStore) Watch(ctx context.Context, id, after int64) (<-chan incidents.Event, error) {
	_ = c.Call(ctx) // counted only: the store answers
	return c.Store.Watch(ctx, id, after)
}

// newStore opens a fresh SQLite store in t.TempDir() on clk.
func newStore(t testing.TB, clk *panetest.Clock) *countingStore {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "incidents.db"), sqlite.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &countingStore{Store: s}
}

type fixture struct {
	m     *Model
	store *countingStore
	clk   *panetest.Clock
	// run executes Cmds; a Cmd still blocked when it returns (a feed
	// read) delivers to a later call, as the runtime would.
	run func(tea.Cmd, time.Duration) []tea.Msg
}

func newFixture(t testing.TB, role string, profile termenv.Profile, w, h int) *fixture {
	t.Helper()
	clk := panetest.NewClock(fixedNow)
	st := newStore(t, clk)
	m := newPane(t, st, "alice", role, profile, clk, w, h)
	return &fixture{m: m, store: st, clk: clk, run: panetest.NewRunner(256).Run}
}

// newPane is a w×h pane on store s as author with role, drawn with
// profile (and the palette goldens use with it) on clk, times shown in
// UTC, closed when the test ends.
func newPane(t testing.TB, s incidents.Store, author, role string, profile termenv.Profile, clk *panetest.Clock, w, h int) *Model {
	b, pal := panetest.Setup(profile, clk)
	b.Location = time.UTC
	return panetest.Open(t, New(Config{Basics: b, Store: s, Author: author, Role: role, Palette: pal}), w, h)
}

// declare writes an incident straight to the store.
func (f *fixture) declare(t testing.TB, d incidents.Declaration) incidents.Incident {
	t.Helper()
	d.Key, d.Author = newKey(), "bob"
	inc, err := f.store.Store.Declare(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func (f *fixture) write(t testing.TB, id int64, w incidents.Write) incidents.Event {
	t.Helper()
	w.Key, w.Author = newKey(), "bob"
	ev, err := f.store.Store.Append(context.Background(), id, w)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// get reads incident id straight from the store.
func (f *fixture) get(t testing.TB, id int64) incidents.Incident {
	t.Helper()
	inc, err := f.store.Store.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// save presses enter on the open form and follows the write; what was
// asked for must have been saved, closing the form.
func (f *fixture) save(t testing.TB, what string) {
	t.Helper()
	settle(f, panetest.Press(f.m, "enter"))
	if f.m.form != nil {
		t.Fatalf("%s refused: %s", what, f.m.form.err)
	}
}

// refused presses enter on the open form and follows the write, which
// must have been refused: the form stays open, saying want.
func (f *fixture) refused(t testing.TB, want string) {
	t.Helper()
	settle(f, panetest.Press(f.m, "enter"))
	if f.m.form == nil || !strings.Contains(f.m.form.err, want) {
		t.Fatalf("want the form kept open saying %q: %+v", want, f.m.form)
	}
}

// settle feeds cmd's messages back into the model until nothing is in
// flight and returns the messages meant for the root (flashes, pivots,
// copies). It waits on the model, not on a quiet period, so a slow
// machine does not cut it short.
func settle(f *fixture, cmd tea.Cmd) []tea.Msg {
	var forRoot []tea.Msg
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		msgs := f.run(cmd, 30*time.Millisecond)
		cmd = nil
		if len(msgs) == 0 && !f.m.waiting() {
			break
		}
		cmd, forRoot = f.apply(msgs, forRoot)
	}
	return forRoot
}

// until applies arriving messages until cond holds or d passes.
func (f *fixture) until(cond func() bool, d time.Duration) bool {
	deadline := time.Now().Add(d)
	var cmd tea.Cmd
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		cmd, _ = f.apply(f.run(cmd, 20*time.Millisecond), nil)
	}
	return true
}

func (f *fixture) apply(msgs, forRoot []tea.Msg) (tea.Cmd, []tea.Msg) {
	var next []tea.Cmd
	for _, msg := range msgs {
		switch msg := msg.(type) {
		case pane.SpinMsg, pane.RefreshTickMsg:
			continue
		case pane.Routed: // the pane's own answers
			_, c := f.m.Update(msg)
			next = append(next, c)
		default:
			forRoot = append(forRoot, msg)
		}
	}
	return tea.Batch(next...), forRoot
}
