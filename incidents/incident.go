// Package incidents is reltui's incident record: the model (an incident is
// the fold of an append-only list of events), milestones and their order,
// MTTx, the Store interface its SQLite and PostgreSQL implementations
// satisfy, and the Markdown/JSON export.
//
// MTTD and MTTR are reported to leadership from this record, so nothing is
// ever overwritten: moving a milestone, renaming an incident or attaching
// evidence appends an event that says who did it, when and why. The current
// value of anything is derived from the latest event that sets it.
package incidents

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Severity is an incident's severity, SEV1 (worst) to SEV5.
type Severity string

// DefaultSeverity is used when a declaration gives none.
const DefaultSeverity Severity = "SEV3"

// ParseSeverity accepts "sev2", "SEV2" or "2" and returns "SEV2".
func ParseSeverity(s string) (Severity, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "SEV")
	if len(t) == 1 && t[0] >= '1' && t[0] <= '5' {
		return Severity("SEV" + t), nil
	}
	return "", fmt.Errorf("%w: severity %q is not one of SEV1..SEV5", ErrInvalid, s)
}

// Status is where an incident stands, derived from its milestones.
type Status string

// The statuses. An incident is open until it is mitigated; "open" on the
// command line means "not resolved", which includes mitigated.
const (
	StatusOpen      Status = "open"
	StatusMitigated Status = "mitigated"
	StatusResolved  Status = "resolved"
)

// Milestone names one point in an incident's life.
type Milestone string

// The milestones, in the order their times must respect.
const (
	Started      Milestone = "started" // impact began
	Detected     Milestone = "detected"
	Acknowledged Milestone = "acknowledged"
	// Identified is when the cause was isolated (time to isolate).
	Identified Milestone = "identified"
	Mitigated  Milestone = "mitigated"
	Resolved   Milestone = "resolved"
)

// milestoneOrder is the milestones in order; AllMilestones hands out copies.
var milestoneOrder = [...]Milestone{Started, Detected, Acknowledged, Identified, Mitigated, Resolved}

// AllMilestones lists the milestones in order, a fresh slice each call.
func AllMilestones() []Milestone { return slices.Clone(milestoneOrder[:]) }

// ParseMilestone accepts a milestone name, case-insensitively, plus the
// short forms people type ("ack", "mitigate", "resolve", "start", "detect").
func ParseMilestone(s string) (Milestone, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "start", "began":
		t = "started"
	case "detect":
		t = "detected"
	case "ack", "acked", "acknowledge":
		t = "acknowledged"
	case "identify", "isolated", "isolate":
		t = "identified"
	case "mitigate":
		t = "mitigated"
	case "resolve":
		t = "resolved"
	}
	if slices.Contains(milestoneOrder[:], Milestone(t)) {
		return Milestone(t), nil
	}
	return "", fmt.Errorf("%w: unknown milestone %q (one of started, detected, acknowledged, identified, mitigated, resolved)", ErrInvalid, s)
}

func (m Milestone) index() int { return slices.Index(milestoneOrder[:], m) }

// Milestones holds the current time of each milestone; a zero time is a
// milestone not reached (or not recorded) yet.
type Milestones struct {
	Started, Detected, Acknowledged, Identified, Mitigated, Resolved time.Time
}

// Get returns the time of m.
func (ms Milestones) Get(m Milestone) time.Time {
	switch m {
	case Started:
		return ms.Started
	case Detected:
		return ms.Detected
	case Acknowledged:
		return ms.Acknowledged
	case Identified:
		return ms.Identified
	case Mitigated:
		return ms.Mitigated
	case Resolved:
		return ms.Resolved
	}
	return time.Time{}
}

func (ms *Milestones) set(m Milestone, t time.Time) {
	switch m {
	case Started:
		ms.Started = t
	case Detected:
		ms.Detected = t
	case Acknowledged:
		ms.Acknowledged = t
	case Identified:
		ms.Identified = t
	case Mitigated:
		ms.Mitigated = t
	case Resolved:
		ms.Resolved = t
	}
}

// CheckOrder verifies started ≤ detected ≤ acknowledged ≤ identified ≤
// mitigated ≤ resolved over the milestones that are set. Unset ones are skipped: an
// incident can be mitigated before anyone records the acknowledgement.
func (ms Milestones) CheckOrder() error {
	var prev Milestone
	var prevT time.Time
	for _, m := range milestoneOrder {
		t := ms.Get(m)
		if t.IsZero() {
			continue
		}
		if !prevT.IsZero() && t.Before(prevT) {
			return fmt.Errorf("%w: %s (%s) would be before %s (%s); milestones must be in order started ≤ detected ≤ acknowledged ≤ identified ≤ mitigated ≤ resolved",
				ErrInvalid, m, FormatTime(t), prev, FormatTime(prevT))
		}
		prev, prevT = m, t
	}
	return nil
}

// EventKind says what an event records.
type EventKind string

// The event kinds.
const (
	// KindDeclared opens an incident; it carries the first Attributes.
	KindDeclared EventKind = "declared"
	// KindUpdated changes title, severity, services or commander.
	KindUpdated EventKind = "updated"
	// KindMilestone sets or moves a milestone; Text is the reason of a move.
	KindMilestone EventKind = "milestone"
	// KindNote is free text for the timeline.
	KindNote EventKind = "note"
	// KindEvidence attaches a log, span, chart or query; Text is a caption.
	KindEvidence EventKind = "evidence"
	// KindFollowUp adds an action item or changes one's state
	// (Detail.FollowUp).
	KindFollowUp EventKind = "followup"
	// KindDeployLink links the incident to a recorded deploy, or unlinks
	// it (Detail.Deploy).
	KindDeployLink EventKind = "deploy_link"
)

// Attributes are an incident's descriptive fields. In an updated event an
// empty field means "unchanged".
type Attributes struct {
	Title     string   `json:"title,omitempty"`
	Severity  Severity `json:"severity,omitempty"`
	Services  []string `json:"services,omitempty"`
	Commander string   `json:"commander,omitempty"`
	// Kind is incident, drill or maintenance; empty (as in every record
	// from before kinds existed) means incident.
	Kind Kind `json:"kind,omitempty"`
	// Category is the root-cause category (see DefaultCategories).
	Category string `json:"category,omitempty"`
}

// Event is one immutable entry of an incident's timeline.
type Event struct {
	IncidentID int64 `json:"incident_id"`
	// Seq numbers an incident's events 1, 2, 3... in commit order; it is
	// the order of the timeline, whatever the clocks said.
	Seq  int64     `json:"seq"`
	Kind EventKind `json:"kind"`
	// Time is when the store recorded the event (its clock, not the
	// writer's claim).
	Time   time.Time `json:"time"`
	Author string    `json:"author"`
	// Text is a note's body, the reason of a milestone move or an update,
	// or an evidence caption.
	Text      string      `json:"text,omitempty"`
	Milestone Milestone   `json:"milestone,omitempty"`
	At        time.Time   `json:"at,omitzero"`
	Attrs     *Attributes `json:"attrs,omitempty"`
	Evidence  *Evidence   `json:"evidence,omitempty"`
	// Occurred is when what the event records happened, when the writer
	// said so and it differs from Time (a note written up afterwards). A
	// milestone's own time is At.
	Occurred time.Time `json:"occurred,omitzero"`
	// Detail carries a suggestion's provenance, a follow-up or a deploy
	// link.
	Detail *Detail `json:"detail,omitempty"`
	// Key is the idempotency key of the write that produced the event; a
	// declaration's key sits on its declared event only.
	Key string `json:"idempotency_key,omitempty"`
	// KeyHash fingerprints the request behind Key, so a key reused for a
	// different request is refused rather than silently answered.
	KeyHash string `json:"-"`
}

// Incident is the current state derived from an incident's events.
type Incident struct {
	ID         int64
	Title      string
	Severity   Severity
	Services   []string
	Commander  string
	DeclaredAt time.Time
	DeclaredBy string
	// Kind is incident (the default), drill or maintenance.
	Kind Kind
	// Category is the root-cause category, "" until someone sets it.
	Category   string
	Milestones Milestones
	// FollowUps are the action items in the order they were added.
	FollowUps []FollowUp
	// Deploys are the deploys linked to the incident, by deploy id.
	Deploys []DeployLink
	// Events is the whole timeline in Seq order.
	Events []Event
}

// Status derives the status from the milestones.
func (inc Incident) Status() Status {
	switch {
	case !inc.Milestones.Resolved.IsZero():
		return StatusResolved
	case !inc.Milestones.Mitigated.IsZero():
		return StatusMitigated
	}
	return StatusOpen
}

// Build folds events (in Seq order) into an incident. Every store derives
// state through this one function, so the two dialects cannot disagree.
func Build(id int64, events []Event) Incident {
	inc := Incident{ID: id, Events: events, Kind: KindIncident}
	for _, e := range events {
		switch e.Kind {
		case KindDeclared, KindUpdated:
			if e.Kind == KindDeclared {
				inc.DeclaredAt, inc.DeclaredBy = e.Time, e.Author
			}
			if a := e.Attrs; a != nil {
				if a.Title != "" {
					inc.Title = a.Title
				}
				if a.Severity != "" {
					inc.Severity = a.Severity
				}
				if a.Services != nil {
					inc.Services = a.Services
				}
				if a.Commander != "" {
					inc.Commander = a.Commander
				}
				if a.Kind != "" {
					inc.Kind = a.Kind
				}
				if a.Category != "" {
					inc.Category = a.Category
				}
			}
		case KindMilestone:
			inc.Milestones.set(e.Milestone, e.At)
		case KindFollowUp:
			inc.applyFollowUp(e)
		case KindDeployLink:
			inc.applyDeployLink(e)
		}
	}
	return inc
}

// MilestoneEvents returns the trail of one milestone: every event that set
// or moved it, oldest first.
func (inc Incident) MilestoneEvents(m Milestone) []Event {
	var out []Event
	for _, e := range inc.Events {
		if e.Kind == KindMilestone && e.Milestone == m {
			out = append(out, e)
		}
	}
	return out
}

// Ref is how people write an incident id: "INC-42".
func Ref(id int64) string { return "INC-" + strconv.FormatInt(id, 10) }

// ParseRef accepts "42", "INC-42" or "inc-42".
func ParseRef(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) > 4 && strings.EqualFold(t[:4], "INC-") {
		t = t[4:]
	}
	id, err := strconv.ParseInt(t, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q is not an incident id (e.g. 42 or INC-42)", ErrInvalid, s)
	}
	return id, nil
}

// FormatTime is the one way incident times are shown: UTC, to the second
// unless the time has a fraction.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02T15:04:05.999999Z")
}

// Normalize truncates t to the microsecond and makes it UTC: PostgreSQL
// keeps microseconds, so both stores must agree on what was written.
func Normalize(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
