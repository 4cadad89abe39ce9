package correlate

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// What changed around a request: the context's deploys and config changes
// inside the view's window, asked of the ChangeLister with the first
// calls so they cost no round of their own.

// changesBackend names the change sources in calls; a failure there is a
// warning, not a partial view: the request itself was searched in full.
const changesBackend = "changes"

// listChanges asks for every change in the window searched, with the
// first calls: the request's own window is not known until they answer,
// and lies inside this one (finish keeps the changes in it).
func (s *search) listChanges(w Window) {
	s.askChanges(w, roundInput, func(evs []changes.Event, err error) {
		// A widened search asks again; the narrow answer may come last.
		if !s.chWin.IsZero() && !w.Covers(s.chWin) {
			return
		}
		s.chWin, s.changes, s.changesErr = w, evs, err
	})
}

// refineChanges asks again, over the view's own window, when changes were
// found near it with a step coarser than that window's: a change from a
// PromQL source is timed to one step, and a day searched has 86 s steps
// where the request's ten minutes have 1 s ones. It reports whether the
// changes were replaced. The call is one more round, made only when
// there is a change to time.
func (s *search) refineChanges(w Window) bool {
	s.mu.Lock()
	wide, near := s.chWin, false
	if s.r.cfg.Changes != nil && !wide.IsZero() && !w.IsZero() {
		coarse := changes.StepFor(wide.From, wide.To)
		for _, e := range s.changes {
			// A change is timed at the end of its step: its real time
			// may be up to one step earlier.
			near = near || !e.T.Before(w.From) && e.T.Before(w.To.Add(coarse))
		}
		near = near && coarse > changes.StepFor(w.From, w.To)
	}
	s.mu.Unlock()
	if !near || s.ctx.Err() != nil {
		return false
	}
	replaced := false
	s.askChanges(w, roundFollow, func(evs []changes.Event, err error) {
		if err != nil {
			return // the coarse times stand
		}
		kept := evs
		for _, e := range s.changes {
			if e.T.Before(w.From) || !e.T.Before(w.To) {
				kept = append(kept, e)
			}
		}
		slices.SortStableFunc(kept, func(a, b changes.Event) int { return a.T.Compare(b.T) })
		s.changes, replaced = kept, true
	})
	return replaced
}

// askChanges asks the change sources over w, records the call and hands
// the answer to keep, all under s.mu so that a progress snapshot sees
// both or neither.
func (s *search) askChanges(w Window, round int, keep func([]changes.Event, error)) {
	cl := s.r.cfg.Changes
	t0 := time.Now()
	evs, err := cl.Changes(s.ctx, w.From, w.To, nil)
	took := time.Since(t0)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(changesBackend, "changes", w.String(), round, t0, took, err, func(ctx context.Context) error {
		_, err := cl.Changes(ctx, w.From, w.To, nil)
		return err
	})
	keep(evs, err)
}

// Change is one deploy or config change in the view's window.
type Change = changes.Event

// changesIn keeps the changes inside v's window to the services the view
// found (every service when it found none) or to no service in
// particular; the others in the window are counted. Called with s.mu held.
func (s *search) changesIn(v *View) {
	v.Changes, v.ChangesElsewhere = nil, 0
	var svcs []string
	if v.Joined != nil {
		svcs = v.Services
	}
	for _, e := range s.changes {
		if e.T.Before(v.Window.From) || !e.T.Before(v.Window.To) {
			continue
		}
		e.Service, e.Kind, e.Source, e.What = sanitize.Line(e.Service), sanitize.Line(e.Kind), sanitize.Line(e.Source), sanitize.Line(e.What)
		if len(svcs) > 0 && e.Service != "" && !slices.Contains(svcs, e.Service) {
			v.ChangesElsewhere++
			continue
		}
		v.Changes = append(v.Changes, e)
	}
	if s.changesErr != nil && sources.KindOf(s.changesErr) != sources.KindCanceled {
		// Each failing source is one line of a joined error.
		v.ChangesProblem = sanitize.Line(strings.ReplaceAll(s.changesErr.Error(), "\n", "; "))
	}
}

// ChangeJSON is one change in the request document.
type ChangeJSON struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"`
	Service string    `json:"service"`
	Source  string    `json:"source"`
	What    string    `json:"what"`
}

// changesJSON converts the view's changes; never nil.
func (v *View) changesJSON() []ChangeJSON {
	out := make([]ChangeJSON, 0, len(v.Changes))
	for _, e := range v.Changes {
		out = append(out, ChangeJSON{Time: e.T.UTC(), Kind: sanitize.Line(e.Kind), Service: sanitize.Line(e.Service),
			Source: sanitize.Line(e.Source), What: sanitize.Line(e.What)})
	}
	return out
}
