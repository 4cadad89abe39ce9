// Package pane is the contract between the console's root model and its
// panes: the messages they exchange (time range, copy, pivot, pin, back)
// and the optional interfaces a pane implements. It imports no pane, so
// every pane package and the root can import it.
package pane

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
)

// Routed is implemented by every async result a pane's Cmd returns. The
// root delivers it to the pane with that ID even while another pane is
// showing, so work finishing in the background is not lost. The pane
// still checks its own sequence number and drops stale results.
type Routed interface{ PaneID() string }

// RangeMsg tells a pane the console's shared time range changed; a pane
// re-runs its current query over the new range.
type RangeMsg struct {
	From, To time.Time
	Live     bool
}

// CopyMsg asks the root to write an OSC 52 sequence to the session's
// terminal. Text is already sanitized.
type CopyMsg struct {
	Text     string
	Sequence string
}

// FlashMsg shows a one-line message in the footer until the next key.
type FlashMsg struct{ Text string }

// Target names the pane a pivot opens.
type Target string

// The pivot targets.
const (
	TargetLogs      Target = "logs"
	TargetMetrics   Target = "metrics"
	TargetTraces    Target = "traces"
	TargetRequest   Target = "request"
	TargetIncidents Target = "incidents"
)

// PivotMsg asks the root to switch to Target and show what the fields
// say. The root remembers where the user was, so back (esc/backspace on a
// pane that has nothing to close) returns there with its state kept.
// From/To is the window to search, already padded by the sender.
type PivotMsg struct {
	Target Target
	// Query is a query for the logs pane (in its backend's language) or
	// the metrics pane (PromQL). Panes other than those two never write
	// log queries: they say what they want (Service, ServiceLabel, the ids)
	// and the logs pane writes the query in its backend's language.
	Query string
	// ServiceLabel is the stream label that names Service in the log
	// backend ("service" when empty).
	ServiceLabel string
	TraceID      string
	SpanID       string
	RequestID    string
	Service      string
	From, To     time.Time
}

// BackMsg asks the root to return to the pane the last pivot left.
type BackMsg struct{}

// PinMsg asks the root to attach Evidence to the incident the user has
// open (or picks) in the Incidents pane.
type PinMsg struct{ Evidence incidents.Evidence }

// Pivoter is implemented by a pane that can show a pivot's target.
type Pivoter interface {
	// Pivot shows what msg asks for and returns the Cmd that fetches it.
	Pivot(msg PivotMsg) tea.Cmd
}

// Editor is implemented by a pane with a focused text input: while
// Editing is true every key is text and the root's shortcuts stand down.
type Editor interface{ Editing() bool }

// Pinner is implemented by a pane that can say what is under its cursor,
// for `p` (pin as evidence on the current incident).
type Pinner interface {
	// Selection returns the evidence under the cursor, or false when
	// nothing pinnable is selected.
	Selection() (incidents.Evidence, bool)
}

// Closer is implemented by a pane holding resources (tails, timers) that
// must be released when the session ends or the context switches.
type Closer interface{ Close() }

// Rester is implemented by a pane that can tell whether esc/backspace
// would do anything in it. When AtRest is true and the user arrived by a
// pivot, the root takes esc/backspace as "back".
type Rester interface{ AtRest() bool }
