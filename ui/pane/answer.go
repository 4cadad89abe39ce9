package pane

import tea "github.com/charmbracelet/bubbletea"

// Answer takes the answer to one of a pane's requests out of the messages
// Update gets: ok is false when msg is not that request's kind of answer.
// Build one per request with On and try them with Answers.
type Answer func(msg tea.Msg) (cmd tea.Cmd, ok bool)

// On is the Answer of request r: a Result[T] that r accepts (its latest
// run's) is handed to fn, whose Cmd is returned; a stale one is taken and
// dropped (ok, no Cmd). Another request's Result[T] (another pane's, or
// another name's) is left for the next Answer.
func On[T any](r *Request[T], fn func(Result[T]) tea.Cmd) Answer {
	return func(msg tea.Msg) (tea.Cmd, bool) {
		res, ok := msg.(Result[T])
		if !ok || res.Pane != r.cfg.Pane || res.Name != r.cfg.Name {
			return nil, false
		}
		if !r.Accept(res) {
			return nil, true
		}
		return fn(res), true
	}
}

// Answers hands msg to the first of answers that takes it, so a pane's
// Update routes all its requests' answers in one statement; ok is false
// when none did.
func Answers(msg tea.Msg, answers ...Answer) (tea.Cmd, bool) {
	for _, a := range answers {
		if cmd, ok := a(msg); ok {
			return cmd, true
		}
	}
	return nil, false
}
