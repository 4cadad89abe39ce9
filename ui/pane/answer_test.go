package pane

import (
	"context"
	"errors"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

type flash string

func TestAnswersRouteEachRequestsLatestAnswer(t *testing.T) {
	words := NewRequest[string](RequestConfig{Pane: "p", Name: "words"})
	other := NewRequest[string](RequestConfig{Pane: "p", Name: "other"})
	nums := NewRequest[int](RequestConfig{Pane: "p"})
	var got []string
	answers := func(msg tea.Msg) (tea.Cmd, bool) {
		return Answers(msg,
			On(&words, func(r Result[string]) tea.Cmd {
				got = append(got, "words:"+r.Value)
				return func() tea.Msg { return flash(r.Value) }
			}),
			On(&other, func(r Result[string]) tea.Cmd { got = append(got, "other:"+r.Value); return nil }),
			On(&nums, func(r Result[int]) tea.Cmd {
				if r.Err != nil {
					got = append(got, "nums failed")
				}
				return nil
			}),
		)
	}
	ctx := context.Background()
	stale := words.Start(ctx, func(context.Context) (string, error) { return "old", nil })()
	fresh := words.Start(ctx, func(context.Context) (string, error) { return "new", nil })()
	// A stale answer is taken (ok) but dropped: no handler, no Cmd.
	if cmd, ok := answers(stale); !ok || cmd != nil || len(got) != 0 {
		t.Fatalf("stale answer: ok %v, cmd %v, handled %v", ok, cmd != nil, got)
	}
	cmd, ok := answers(fresh)
	if !ok || cmd == nil || cmd() != flash("new") {
		t.Fatalf("fresh answer: ok %v, cmd %v", ok, cmd != nil)
	}
	// Two requests with one value type: each takes only its own.
	if _, ok := answers(other.Start(ctx, func(context.Context) (string, error) { return "x", nil })()); !ok {
		t.Fatal("the other request's answer was not taken")
	}
	if _, ok := answers(nums.Start(ctx, func(context.Context) (int, error) { return 0, errors.New("boom") })()); !ok {
		t.Fatal("the int request's answer was not taken")
	}
	if want := []string{"words:new", "other:x", "nums failed"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("handled %v, want %v", got, want)
	}
	if words.Busy() || other.Busy() || nums.Busy() {
		t.Error("a request is still busy after its answer")
	}
	// Anything else is not an answer.
	if cmd, ok := answers(tea.KeyMsg{}); ok || cmd != nil {
		t.Errorf("a key was taken as an answer")
	}
}
