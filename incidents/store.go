package incidents

import (
	"context"
	"sort"
	"time"
)

// Store keeps incidents. Implementations: incidents/sqlite (the default,
// one file, no setup) and incidents/postgres (a team's shared record).
// Both run the write logic of DeclareTx and AppendTx inside one
// transaction, derive state with Build, and return this package's errors.
type Store interface {
	// Declare opens an incident and returns it. Declaring again with the
	// same key returns the first incident and writes nothing.
	Declare(ctx context.Context, d Declaration) (Incident, error)
	// Append records one change and returns the event. A retry with the
	// same key returns the first attempt's event and writes nothing. A
	// rejected write (ErrInvalid, ErrConflict, ErrNotFound) writes nothing.
	Append(ctx context.Context, id int64, w Write) (Event, error)
	// Get returns the incident with its whole timeline, or ErrNotFound.
	Get(ctx context.Context, id int64) (Incident, error)
	// List returns the incidents matching f, by id.
	List(ctx context.Context, f Filter) ([]Incident, error)
	// Watch sends the incident's events with Seq > after, in order, as
	// they are committed by any process, until ctx ends; then the channel
	// is closed. Read errors are retried: a feed never ends on its own.
	Watch(ctx context.Context, id, after int64) (<-chan Event, error)
	// RecordDeploy records a deploy; a retry with the same key returns
	// the first attempt's deploy.
	RecordDeploy(ctx context.Context, w DeployWrite) (Deploy, error)
	// Deploys returns the deploys matching f, by time then id.
	Deploys(ctx context.Context, f DeployFilter) ([]Deploy, error)
	// Close releases the store's connections.
	Close() error
}

// Filter selects incidents for List. Zero fields match everything.
type Filter struct {
	// Status: StatusOpen matches every incident that is not resolved
	// (mitigated ones included), as "what is still on fire or being
	// cleaned up" is what people ask for.
	Status Status
	// StartedFrom and StartedTo bound when impact began, inclusive.
	StartedFrom, StartedTo time.Time
}

// Match reports whether inc passes f.
func (f Filter) Match(inc Incident) bool {
	switch f.Status {
	case "":
	case StatusOpen:
		if inc.Status() == StatusResolved {
			return false
		}
	default:
		if inc.Status() != f.Status {
			return false
		}
	}
	s := inc.Milestones.Started
	if !f.StartedFrom.IsZero() && s.Before(f.StartedFrom) {
		return false
	}
	if !f.StartedTo.IsZero() && s.After(f.StartedTo) {
		return false
	}
	return true
}

// BuildAll groups events by incident (each group in Seq order) and
// builds the incidents that pass f, ordered by id.
func BuildAll(events []Event, f Filter) []Incident {
	groups := map[int64][]Event{}
	for _, e := range events {
		groups[e.IncidentID] = append(groups[e.IncidentID], e)
	}
	var out []Incident
	for id, evs := range groups {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
		if inc := Build(id, evs); f.Match(inc) {
			out = append(out, inc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// WatchInterval is how often a feed checks for new events when nothing
// wakes it sooner: cheap (one indexed query) and quick enough for a person.
const WatchInterval = 250 * time.Millisecond

// Feed runs a change feed for store implementations: it calls fetch for
// events after the last Seq it sent every interval and whenever wake
// fires, and sends them in order until ctx ends. Errors are retried on the
// next tick, so a store that is briefly busy or unreachable only delays
// the feed.
func Feed(ctx context.Context, after int64, interval time.Duration, wake <-chan struct{}, fetch func(ctx context.Context, after int64) ([]Event, error)) <-chan Event {
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			evs, err := fetch(ctx, after)
			if err == nil {
				for _, e := range evs {
					if e.Seq <= after {
						continue
					}
					select {
					case out <- e:
						after = e.Seq
					case <-ctx.Done():
						return
					}
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
		}
	}()
	return out
}
