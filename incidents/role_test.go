package incidents

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAllowedMatrix(t *testing.T) {
	all := []Action{ActionDeclare, ActionNote, ActionEvidence, ActionMilestone, ActionResolve, ActionUpdate}
	may := map[Role][]Action{
		RoleViewer:    nil,
		RoleResponder: {ActionNote, ActionEvidence},
		RoleCommander: all,
		Role("admin"): nil, // unknown roles get nothing
		Role(""):      nil,
	}
	for r, allowed := range may {
		for _, a := range all {
			err := Allowed(r, a)
			want := false
			for _, x := range allowed {
				want = want || x == a
			}
			if want && err != nil {
				t.Errorf("Allowed(%q, %s) = %v; want nil", r, a, err)
			}
			if !want && !errors.Is(err, ErrForbidden) {
				t.Errorf("Allowed(%q, %s) = %v; want ErrForbidden", r, a, err)
			}
		}
	}
	if err := Allowed(RoleViewer, ActionNote); !strings.Contains(err.Error(), "viewer cannot add a note") {
		t.Errorf("viewer message does not say what was refused: %v", err)
	}
}

func TestActionOf(t *testing.T) {
	cases := map[Action]Write{
		ActionNote:      {Kind: KindNote},
		ActionEvidence:  {Kind: KindEvidence},
		ActionMilestone: {Kind: KindMilestone, Milestone: Mitigated},
		ActionResolve:   {Kind: KindMilestone, Milestone: Resolved},
		ActionUpdate:    {Kind: KindUpdated},
	}
	for want, w := range cases {
		if got := ActionOf(w); got != want {
			t.Errorf("ActionOf(%+v) = %s; want %s", w, got, want)
		}
	}
	if got := ActionOf(Write{Kind: "bogus"}); got != ActionUpdate {
		t.Errorf("unknown kind maps to %s; want the most privileged action", got)
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"": DefaultRole, "Viewer": RoleViewer, " responder ": RoleResponder, "COMMANDER": RoleCommander} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("root"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseRole(root): %v", err)
	}
}

// countingStore records which writes reached it.
type countingStore struct {
	Store
	declares, appends int
}

func (c *countingStore) Declare(context.Context, Declaration) (Incident, error) {
	c.declares++
	return Incident{ID: 1}, nil
}

func (c *countingStore) Append(context.Context, int64, Write) (Event, error) {
	c.appends++
	return Event{}, nil
}

func TestGuardStopsWritesBeforeTheStore(t *testing.T) {
	ctx := context.Background()
	inner := &countingStore{}
	s := Guard(inner, RoleResponder)
	if _, err := s.Declare(ctx, Declaration{}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("responder declare: %v", err)
	}
	if _, err := s.Append(ctx, 1, Write{Kind: KindMilestone, Milestone: Resolved}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("responder resolve: %v", err)
	}
	if inner.declares != 0 || inner.appends != 0 {
		t.Fatalf("refused writes reached the store: %+v", inner)
	}
	if _, err := s.Append(ctx, 1, Write{Kind: KindNote}); err != nil {
		t.Fatalf("responder note: %v", err)
	}
	if inner.appends != 1 {
		t.Fatalf("allowed write did not reach the store")
	}
	v := Guard(inner, RoleViewer)
	if _, err := v.Append(ctx, 1, Write{Kind: KindEvidence}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer evidence: %v", err)
	}
}
