package incidents

import (
	"context"
	"fmt"
	"strings"
)

// Role is what a person may do to the incident record. The console and
// `reltui serve` both decide through Allowed (or the Guard store), so a
// session's permissions are one rule, not one per screen.
type Role string

// The roles, weakest first. A responder works the incident (notes,
// evidence); a commander also owns its shape (declaring, milestones,
// resolving, title and severity).
const (
	RoleViewer    Role = "viewer"
	RoleResponder Role = "responder"
	RoleCommander Role = "commander"
)

// DefaultRole is a local console's role: the person at the keyboard owns
// the file the record lives in.
const DefaultRole = RoleCommander

// ParseRole accepts a role name case-insensitively; "" is DefaultRole.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case "":
		return DefaultRole, nil
	case RoleViewer, RoleResponder, RoleCommander:
		return r, nil
	}
	return "", fmt.Errorf("%w: role %q is not one of viewer, responder, commander", ErrInvalid, s)
}

// Action is a kind of write, as the role policy sees it.
type Action string

// The actions a role may be allowed.
const (
	ActionDeclare   Action = "declare"
	ActionNote      Action = "note"
	ActionEvidence  Action = "evidence"
	ActionMilestone Action = "milestone" // set or move any milestone but resolved
	ActionResolve   Action = "resolve"
	ActionUpdate    Action = "update" // title, severity, services, commander, kind, category, deploy links
	ActionFollowUp  Action = "followup"
	ActionDeploy    Action = "deploy" // record a deploy
)

// ActionOf says which action w is.
func ActionOf(w Write) Action {
	switch w.Kind {
	case KindNote:
		return ActionNote
	case KindEvidence:
		return ActionEvidence
	case KindMilestone:
		if w.Milestone == Resolved {
			return ActionResolve
		}
		return ActionMilestone
	case KindUpdated, KindDeployLink:
		return ActionUpdate
	case KindFollowUp:
		return ActionFollowUp
	}
	// Unknown kinds are refused by the store; for the policy they are the
	// most privileged thing there is.
	return ActionUpdate
}

// Allowed returns nil when role r may do a, and otherwise an ErrForbidden
// that says what the role may do instead. An unknown role may do nothing.
func Allowed(r Role, a Action) error {
	ok := false
	switch r {
	case RoleCommander:
		ok = true
	case RoleResponder:
		ok = a == ActionNote || a == ActionEvidence || a == ActionFollowUp || a == ActionDeploy
	}
	if ok {
		return nil
	}
	switch r {
	case RoleViewer:
		return fmt.Errorf("%w: a viewer cannot %s; the record is read-only for this session", ErrForbidden, actionWords(a))
	case RoleResponder:
		return fmt.Errorf("%w: a responder cannot %s; responders add notes, evidence, follow-ups and deploys; the commander does the rest", ErrForbidden, actionWords(a))
	}
	return fmt.Errorf("%w: role %q cannot %s", ErrForbidden, r, actionWords(a))
}

func actionWords(a Action) string {
	switch a {
	case ActionDeclare:
		return "declare an incident"
	case ActionNote:
		return "add a note"
	case ActionEvidence:
		return "attach evidence"
	case ActionMilestone:
		return "set or move a milestone"
	case ActionResolve:
		return "resolve an incident"
	case ActionFollowUp:
		return "add or change a follow-up"
	case ActionDeploy:
		return "record a deploy"
	}
	return "change an incident"
}

// Guard wraps s so that every write is checked against role r before it
// reaches the store; reads pass through. A session hands its panes a
// guarded store, so no screen can forget the check. Close closes s.
func Guard(s Store, r Role) Store { return guarded{Store: s, role: r} }

type guarded struct {
	Store
	role Role
}

func (g guarded) Declare(ctx context.Context, d Declaration) (Incident, error) {
	if err := Allowed(g.role, ActionDeclare); err != nil {
		return Incident{}, err
	}
	return g.Store.Declare(ctx, d)
}

func (g guarded) Append(ctx context.Context, id int64, w Write) (Event, error) {
	if err := Allowed(g.role, ActionOf(w)); err != nil {
		return Event{}, err
	}
	return g.Store.Append(ctx, id, w)
}

func (g guarded) RecordDeploy(ctx context.Context, w DeployWrite) (Deploy, error) {
	if err := Allowed(g.role, ActionDeploy); err != nil {
		return Deploy{}, err
	}
	return g.Store.RecordDeploy(ctx, w)
}
