package incidentpane

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/pane"
)

// A form's write: what was typed is checked and turned into a write or a
// declaration, sent through the write request with an idempotency key,
// and its answer closes the form or keeps it open with the reason.

// newKey returns a fresh idempotency key. Keys are random so that two
// consoles (or two sessions of `reltui serve`) never share one.
func newKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "ui-" + hex.EncodeToString(b[:])
}

// submit checks what can be checked without the store, then writes.
func (m *Model) submit() tea.Cmd {
	f := m.form
	f.err = ""
	now := m.now()
	var req any
	var w incidents.Write
	var d incidents.Declaration
	switch f.kind {
	case formNote:
		if f.value(0) == "" {
			f.err = "type the note first"
			return nil
		}
		w = incidents.Write{Kind: incidents.KindNote, Text: f.value(0)}
		req = w
	case formMilestone, formResolve:
		ms := string(incidents.Resolved)
		at, reason := f.value(0), f.value(1)
		if f.kind == formMilestone {
			ms, at, reason = f.value(0), f.value(1), f.value(2)
		}
		mm, err := incidents.ParseMilestone(ms)
		if err != nil {
			f.err = trimSentinel(err)
			return nil
		}
		t, err := parseAt(at, now, m.loc)
		if err != nil {
			f.err = err.Error()
			return nil
		}
		w = incidents.Write{Kind: incidents.KindMilestone, Milestone: mm, At: t, Text: reason}
		req = w
	case formFollowUp, formCause, formLink:
		var err error
		if w, err = m.reliabilityWrite(f, now); err != nil {
			f.err = err.Error()
			return nil
		}
		req = w
	case formDeclare:
		sev := incidents.Severity("")
		if s := f.value(1); s != "" {
			v, err := incidents.ParseSeverity(s)
			if err != nil {
				f.err = trimSentinel(err)
				return nil
			}
			sev = v
		}
		t, err := parseAt(f.value(3), now, m.loc)
		if err != nil {
			f.err = err.Error()
			return nil
		}
		d = incidents.Declaration{Title: f.value(0), Severity: sev, Services: splitList(f.value(2)), Started: t, Author: m.author}
		if d.Title == "" {
			f.err = "an incident needs a title"
			return nil
		}
		req = d
	}
	if err := incidents.Allowed(m.role, formAction(f.kind, w)); err != nil {
		f.err = trimSentinel(err)
		return nil
	}
	b, _ := json.Marshal(req)
	if f.key == "" || string(b) != f.lastReq {
		f.key, f.lastReq = newKey(), string(b)
	}
	store := m.store
	if f.kind == formDeclare {
		d.Key = f.key
		return tea.Batch(m.write.Start(m.ctx, func(ctx context.Context) (written, error) {
			inc, err := store.Declare(ctx, d)
			return written{inc: inc}, err
		}), m.spin.Start())
	}
	w.Key, w.Author = f.key, m.author
	id := m.inc.ID
	return tea.Batch(m.write.Start(m.ctx, func(ctx context.Context) (written, error) {
		ev, err := store.Append(ctx, id, w)
		return written{ev: ev}, err
	}), m.spin.Start())
}

func formAction(k formKind, w incidents.Write) incidents.Action {
	if k == formDeclare {
		return incidents.ActionDeclare
	}
	return incidents.ActionOf(w)
}

// parseAt reads a time field; empty means now (the store's clock). A
// clock time ("10:04", "10:04:30") is today in loc, or yesterday when
// today's would be in the future: incidents are written up after the fact.
func parseAt(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if s == "" || strings.EqualFold(s, "now") {
		return time.Time{}, nil
	}
	for _, l := range []string{"15:04", "15:04:05"} {
		c, err := time.ParseInLocation(l, s, loc)
		if err != nil {
			continue
		}
		n := now.In(loc)
		t := time.Date(n.Year(), n.Month(), n.Day(), c.Hour(), c.Minute(), c.Second(), 0, loc)
		if t.After(now.Add(incidents.ClockSkew)) {
			t = t.AddDate(0, 0, -1)
		}
		return t, nil
	}
	t, err := timespec.ParseTime(s, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("%v, or a clock time such as 10:04; empty is now", err)
	}
	return t, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// trimSentinel drops the "invalid: " style prefix of a store error whose
// text already says what is wrong.
func trimSentinel(err error) string {
	s := err.Error()
	for _, p := range []string{"invalid: ", "conflict: ", "not allowed: ", "not found: "} {
		s = strings.TrimPrefix(s, p)
	}
	return sanitize.Line(s)
}

// onWrite applies a write's answer: the form closes on success and stays,
// with its text and the reason, on failure.
func (m *Model) onWrite(msg pane.Result[written]) tea.Cmd {
	f := m.form
	if msg.Err != nil {
		if f != nil {
			f.err = errText(msg.Err)
			if !isRetryable(msg.Err) {
				// Nothing was written; the next attempt is a new request.
				f.key = ""
			}
		} else {
			m.flash = "✗ " + errText(msg.Err)
		}
		return nil
	}
	m.form = nil
	if id := msg.Value.inc.ID; id != 0 {
		m.flash = fmt.Sprintf("declared %s", incidents.Ref(id))
		return tea.Batch(m.openIncident(id), m.reload())
	}
	m.applyEvents([]incidents.Event{msg.Value.ev})
	m.flash = "saved: " + writeLabel(msg.Value.ev)
	return nil
}

func writeLabel(e incidents.Event) string {
	if e.Kind == incidents.KindMilestone {
		return fmt.Sprintf("%s at %s (#%d)", e.Milestone, incidents.FormatTime(e.At), e.Seq)
	}
	return fmt.Sprintf("%s #%d", e.Kind, e.Seq)
}
