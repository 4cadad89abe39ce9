package incidents

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind separates real incidents from rehearsals and planned work, so a
// game day or a maintenance window does not make MTTR look better or
// worse than it is.
type Kind string

// The kinds. Drills and maintenance are left out of MTTx, recurrence and
// change failure rate unless a report asks for them.
const (
	KindIncident    Kind = "incident"
	KindDrill       Kind = "drill"
	KindMaintenance Kind = "maintenance"
)

// AllKinds lists the kinds, a fresh slice each call.
func AllKinds() []Kind { return []Kind{KindIncident, KindDrill, KindMaintenance} }

// ParseKind accepts a kind name case-insensitively.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(AllKinds(), k) {
		return k, nil
	}
	return "", fmt.Errorf("%w: kind %q is not one of incident, drill, maintenance", ErrInvalid, s)
}

// DefaultCategories returns the root-cause categories offered when the
// configuration names none, in the spirit of the common taxonomies; a
// fresh slice each call.
func DefaultCategories() []string {
	return []string{"deployment", "configuration", "dependency", "capacity", "infrastructure", "code-defect", "unknown"}
}

// CheckCategory validates a category against the allowed list (the
// configuration's, or DefaultCategories when it is empty). The store
// itself accepts any plain label, because the list may change after
// incidents were filed under an old one.
func CheckCategory(c string, allowed []string) (string, error) {
	c = strings.ToLower(strings.TrimSpace(c))
	if len(allowed) == 0 {
		allowed = DefaultCategories()
	}
	if !slices.Contains(allowed, c) {
		return "", fmt.Errorf("%w: category %q is not one of %s", ErrInvalid, c, strings.Join(allowed, ", "))
	}
	return c, nil
}

func checkLabel(what, s string) error {
	if utf8.RuneCountInString(s) > 60 || !cleanLine(s) || strings.ContainsAny(s, ", ") {
		return fmt.Errorf("%w: %s %q is not a plain label", ErrInvalid, what, s)
	}
	return nil
}

// Detail is what an event carries beyond the classic fields. It is stored
// as one JSON column, so a new sort of detail needs no migration.
type Detail struct {
	Suggestion *Suggestion `json:"suggestion,omitempty"`
	FollowUp   *FollowUp   `json:"followup,omitempty"`
	Deploy     *DeployLink `json:"deploy,omitempty"`
}

// Suggestion is where a milestone value came from when a machine proposed
// it. The event's author is the person who confirmed it; At on the event
// is what they confirmed, which may differ from the suggestion.
type Suggestion struct {
	At time.Time `json:"at"`
	// Method says how it was found, e.g. "alert expression evaluated
	// backwards" or "alert activeAt + for".
	Method string `json:"method"`
	// Query is the expression that was evaluated, when there was one.
	Query string `json:"query,omitempty"`
}

// FollowUpState is where an action item stands.
type FollowUpState string

// The follow-up states.
const (
	FollowUpOpen      FollowUpState = "open"
	FollowUpDone      FollowUpState = "done"
	FollowUpCancelled FollowUpState = "cancelled"
)

// FollowUp is an action item. Adding one records ID 0 and Action; the
// item's id is then the Seq of that event. Changing one records its ID
// and the new State (and any of Owner/Due that change).
type FollowUp struct {
	ID     int64         `json:"id,omitempty"`
	Action string        `json:"action,omitempty"`
	Owner  string        `json:"owner,omitempty"`
	Due    time.Time     `json:"due,omitzero"`
	State  FollowUpState `json:"state,omitempty"`
	// Updated is the recorded time of the latest change (set by Build).
	Updated time.Time `json:"updated,omitzero"`
}

// DeployLink ties an incident to a recorded deploy.
type DeployLink struct {
	DeployID int64     `json:"deploy_id"`
	Service  string    `json:"service,omitempty"`
	Version  string    `json:"version,omitempty"`
	At       time.Time `json:"at,omitzero"`
	// Rollback copies the deploy's rollback mark.
	Rollback bool `json:"rollback,omitempty"`
	// Unlink removes an earlier link (a wrong suggestion confirmed).
	Unlink bool `json:"unlink,omitempty"`
}

// Noun is "rollback" for a link to a rollback, else "deploy".
func (d DeployLink) Noun() string { return Deploy{Rollback: d.Rollback}.Noun() }

func (inc *Incident) applyFollowUp(e Event) {
	if e.Detail == nil || e.Detail.FollowUp == nil {
		return
	}
	f := *e.Detail.FollowUp
	if f.ID == 0 {
		f.ID, f.Updated = e.Seq, e.Time
		if f.State == "" {
			f.State = FollowUpOpen
		}
		inc.FollowUps = append(inc.FollowUps, f)
		return
	}
	for i := range inc.FollowUps {
		cur := &inc.FollowUps[i]
		if cur.ID != f.ID {
			continue
		}
		if f.State != "" {
			cur.State = f.State
		}
		if f.Owner != "" {
			cur.Owner = f.Owner
		}
		if !f.Due.IsZero() {
			cur.Due = f.Due
		}
		cur.Updated = e.Time
	}
}

func (inc *Incident) applyDeployLink(e Event) {
	if e.Detail == nil || e.Detail.Deploy == nil {
		return
	}
	d := *e.Detail.Deploy
	inc.Deploys = slices.DeleteFunc(inc.Deploys, func(x DeployLink) bool { return x.DeployID == d.DeployID })
	if !d.Unlink {
		inc.Deploys = append(inc.Deploys, d)
	}
}

// OpenFollowUps returns the follow-ups still open.
func (inc Incident) OpenFollowUps() []FollowUp {
	var out []FollowUp
	for _, f := range inc.FollowUps {
		if f.State == FollowUpOpen {
			out = append(out, f)
		}
	}
	return out
}

// planFollowUp validates a follow-up write against the incident.
func planFollowUp(inc Incident, d *Detail) (*Detail, error) {
	if d == nil || d.FollowUp == nil {
		return nil, fmt.Errorf("%w: a follow-up event needs a follow-up", ErrInvalid)
	}
	f := *d.FollowUp
	f.Action, f.Owner, f.Updated = strings.TrimSpace(f.Action), strings.TrimSpace(f.Owner), time.Time{}
	f.Due = Normalize(f.Due)
	if f.Owner != "" && (!cleanLine(f.Owner) || utf8.RuneCountInString(f.Owner) > 100) {
		return nil, fmt.Errorf("%w: owner %q is not a plain name", ErrInvalid, f.Owner)
	}
	switch f.State {
	case "", FollowUpOpen, FollowUpDone, FollowUpCancelled:
	default:
		return nil, fmt.Errorf("%w: follow-up state %q is not one of open, done, cancelled", ErrInvalid, f.State)
	}
	if f.ID == 0 {
		if f.Action == "" || !cleanLine(f.Action) || utf8.RuneCountInString(f.Action) > MaxTitle {
			return nil, fmt.Errorf("%w: a follow-up needs an action of one line up to %d characters", ErrInvalid, MaxTitle)
		}
		if f.State == "" {
			f.State = FollowUpOpen
		}
		return &Detail{FollowUp: &f}, nil
	}
	if !slices.ContainsFunc(inc.FollowUps, func(x FollowUp) bool { return x.ID == f.ID }) {
		return nil, fmt.Errorf("%w: %s has no follow-up #%d", ErrNotFound, Ref(inc.ID), f.ID)
	}
	if f.Action != "" {
		return nil, fmt.Errorf("%w: a follow-up's action is not rewritten; add a new one", ErrInvalid)
	}
	if f.State == "" && f.Owner == "" && f.Due.IsZero() {
		return nil, fmt.Errorf("%w: a follow-up change needs a state, owner or due date", ErrInvalid)
	}
	return &Detail{FollowUp: &f}, nil
}
