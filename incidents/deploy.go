package incidents

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Deploy is one recorded change to a service, the denominator of the
// change failure rate. Deploys are append-only like events.
type Deploy struct {
	ID      int64  `json:"id"`
	Service string `json:"service"`
	Version string `json:"version,omitempty"`
	// At is when the deploy happened; Recorded is when reltui was told.
	At       time.Time `json:"at"`
	Recorded time.Time `json:"recorded"`
	Author   string    `json:"author"`
	// Rollback marks a deploy that undid an earlier one; rollback
	// frequency sits beside the change failure rate.
	Rollback bool   `json:"rollback,omitempty"`
	Key      string `json:"-"`
	KeyHash  string `json:"-"`
}

// Noun is "rollback" for a rollback, else "deploy".
func (d Deploy) Noun() string {
	if d.Rollback {
		return "rollback"
	}
	return "deploy"
}

// DeployWrite records a deploy.
type DeployWrite struct {
	Key     string `json:"-"`
	Author  string `json:"author"`
	Service string `json:"service"`
	Version string `json:"version,omitempty"`
	// At is when it was deployed; zero means now.
	At time.Time `json:"at,omitzero"`
	// Rollback marks the deploy as undoing an earlier one.
	Rollback bool `json:"rollback,omitempty"`
}

// DeployFilter selects deploys. Zero fields match everything.
type DeployFilter struct {
	Service  string
	From, To time.Time
}

// Match reports whether d passes f.
func (f DeployFilter) Match(d Deploy) bool {
	return (f.Service == "" || f.Service == d.Service) &&
		(f.From.IsZero() || !d.At.Before(f.From)) && (f.To.IsZero() || !d.At.After(f.To))
}

// Filter returns the deploys of ds that pass f, in their order.
func (f DeployFilter) Filter(ds []Deploy) []Deploy {
	out := ds[:0:0]
	for _, d := range ds {
		if f.Match(d) {
			out = append(out, d)
		}
	}
	return out
}

// DeployTx is what RecordDeployTx needs from a dialect inside one
// transaction.
type DeployTx interface {
	DeployByKey(ctx context.Context, key string) (Deploy, bool, error)
	// InsertDeploy stores d (ID ignored) and returns its id.
	InsertDeploy(ctx context.Context, d Deploy) (int64, error)
	Now(ctx context.Context) (time.Time, error)
}

// RecordDeployTx is the body of every store's RecordDeploy.
func RecordDeployTx(ctx context.Context, tx DeployTx, w DeployWrite) (Deploy, error) {
	if err := checkKeyAuthor(w.Key, w.Author); err != nil {
		return Deploy{}, err
	}
	hash := requestHash("deploy", 0, w)
	if prev, ok, err := tx.DeployByKey(ctx, w.Key); err != nil {
		return Deploy{}, err
	} else if ok {
		if prev.KeyHash != hash {
			return Deploy{}, keyReused(w.Key)
		}
		return prev, nil
	}
	now, err := tx.Now(ctx)
	if err != nil {
		return Deploy{}, err
	}
	now = Normalize(now)
	svcs, err := cleanServices([]string{w.Service})
	if err != nil {
		return Deploy{}, err
	}
	if len(svcs) != 1 {
		return Deploy{}, fmt.Errorf("%w: a deploy needs a service", ErrInvalid)
	}
	v := strings.TrimSpace(w.Version)
	if utf8.RuneCountInString(v) > 100 || !cleanLine(v) {
		return Deploy{}, fmt.Errorf("%w: version %q is not one plain line", ErrInvalid, v)
	}
	at, err := milestoneTime("deploy", w.At, now)
	if err != nil {
		return Deploy{}, err
	}
	d := Deploy{Service: svcs[0], Version: v, At: at, Recorded: now, Author: w.Author, Rollback: w.Rollback, Key: w.Key, KeyHash: hash}
	if d.ID, err = tx.InsertDeploy(ctx, d); err != nil {
		return Deploy{}, err
	}
	return d, nil
}

// planDeployLink validates a link or unlink against the incident and the
// deploy table, and fills in the deploy's facts so the timeline and the
// export need no second lookup.
func planDeployLink(ctx context.Context, tx Tx, inc Incident, d *Detail) (*Detail, error) {
	if d == nil || d.Deploy == nil || d.Deploy.DeployID <= 0 {
		return nil, fmt.Errorf("%w: a deploy link needs a deploy id", ErrInvalid)
	}
	linked := slices.ContainsFunc(inc.Deploys, func(x DeployLink) bool { return x.DeployID == d.Deploy.DeployID })
	if d.Deploy.Unlink {
		if !linked {
			return nil, fmt.Errorf("%w: deploy #%d is not linked to %s", ErrConflict, d.Deploy.DeployID, Ref(inc.ID))
		}
		return &Detail{Deploy: &DeployLink{DeployID: d.Deploy.DeployID, Unlink: true}}, nil
	}
	if linked {
		return nil, fmt.Errorf("%w: deploy #%d is already linked to %s", ErrConflict, d.Deploy.DeployID, Ref(inc.ID))
	}
	dep, ok, err := tx.DeployByID(ctx, d.Deploy.DeployID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: no deploy #%d", ErrNotFound, d.Deploy.DeployID)
	}
	return &Detail{Deploy: &DeployLink{DeployID: dep.ID, Service: dep.Service, Version: dep.Version, At: dep.At, Rollback: dep.Rollback}}, nil
}

// DefaultSuggestWindow is how long before an incident's start a deploy of
// one of its services is suggested as the likely change.
const DefaultSuggestWindow = 2 * time.Hour

// SuggestDeploys returns the deploys of inc's services that happened in
// (started − window, started], newest first, leaving out those already
// linked. They are suggestions: only a person links them.
func SuggestDeploys(inc Incident, deploys []Deploy, window time.Duration) []Deploy {
	st := inc.Milestones.Started
	if st.IsZero() {
		return nil
	}
	var out []Deploy
	for _, d := range deploys {
		if !slices.Contains(inc.Services, d.Service) || d.At.After(st) || !d.At.After(st.Add(-window)) {
			continue
		}
		if slices.ContainsFunc(inc.Deploys, func(x DeployLink) bool { return x.DeployID == d.ID }) {
			continue
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out
}
