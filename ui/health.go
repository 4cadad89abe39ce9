package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Backend is one configured backend as the shell sees it: a name, where it
// is, and a readiness probe.
type Backend struct {
	Name string
	Addr string
	Ping func(context.Context) error
}

type healthState int

const (
	healthUnknown healthState = iota
	healthChecking
	healthOK
	healthDown
)

// backendStatus is what the header knows about one backend.
type backendStatus struct {
	Backend
	state   healthState
	lastOK  time.Time
	latency time.Duration
	errKind sources.Kind
	errMsg  string // sanitized
	checked time.Time
}

// healthMsg is the result of one probe of one backend in probe round seq.
type healthMsg struct {
	seq     int
	name    string
	err     error
	latency time.Duration
	at      time.Time
}

// tickMsg drives the periodic probe and the ages in the header.
type tickMsg struct{ at time.Time }

// probeTimeout bounds one readiness probe so a hung backend shows as down
// instead of freezing the header.
const probeTimeout = 5 * time.Second

// probeCmd probes one backend. It captures everything it needs by value
// and never touches the model.
func probeCmd(ctx context.Context, seq int, b Backend, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		start := now()
		err := b.Ping(pctx)
		end := now()
		return healthMsg{seq: seq, name: b.Name, err: err, latency: end.Sub(start), at: end}
	}
}

// tickCmd ends with ctx, so a closed session leaves no timer behind.
func tickCmd(ctx context.Context, every time.Duration) tea.Cmd {
	return pane.Tick(ctx, every, func(t time.Time) tea.Msg { return tickMsg{at: t} })
}

func (s *backendStatus) apply(m healthMsg) {
	s.checked = m.at
	s.latency = m.latency
	if m.err == nil {
		s.state = healthOK
		s.lastOK = m.at
		s.errMsg = ""
		s.errKind = sources.KindUnknown
		return
	}
	s.state = healthDown
	s.errKind = sources.KindOf(m.err)
	s.errMsg = sanitize.Line(m.err.Error())
}
