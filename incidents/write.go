package incidents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources/sanitize"
)

// Limits on what one write may carry. They keep a pasted log dump from
// turning the timeline into something nobody can read or export.
const (
	MaxTitle    = 200
	MaxText     = 64 << 10
	MaxSnapshot = 256 << 10
	MaxServices = 50
	// ClockSkew is how far in the future a milestone may be stamped: a
	// little, for writers whose clocks run ahead; not "resolved tomorrow".
	ClockSkew = time.Minute
)

// Declaration opens an incident.
type Declaration struct {
	// Key is the idempotency key: declaring twice with one key yields one
	// incident.
	Key       string   `json:"-"`
	Author    string   `json:"author"`
	Title     string   `json:"title"`
	Severity  Severity `json:"severity,omitempty"`
	Services  []string `json:"services,omitempty"`
	Commander string   `json:"commander,omitempty"`
	// Started is when impact began; zero means now.
	Started time.Time `json:"started,omitzero"`
	// Detected is when it was noticed; zero means now. From an alert it is
	// the alert's ActiveAt.
	Detected time.Time  `json:"detected,omitzero"`
	Evidence []Evidence `json:"evidence,omitempty"`
	// Kind is incident (the default), drill or maintenance.
	Kind Kind `json:"kind,omitempty"`
	// Category is the root-cause category, when already known.
	Category string `json:"category,omitempty"`
	// StartedSuggestion and DetectedSuggestion say where Started and
	// Detected came from when a machine proposed them; declaring is the
	// author's confirmation.
	StartedSuggestion  *Suggestion `json:"started_suggestion,omitempty"`
	DetectedSuggestion *Suggestion `json:"detected_suggestion,omitempty"`
	// Undetected leaves detected unset: a drill declared as its fault is
	// injected is detected when its alert fires (a later milestone write),
	// and a drill the alerting never caught stays undetected instead of
	// reading MTTD 0. Only a drill may be declared undetected.
	Undetected bool `json:"undetected,omitempty"`
}

// Write is one change to an existing incident; it appends exactly one
// event.
type Write struct {
	// Key is the idempotency key: a retried write with the same key
	// returns the event the first attempt wrote.
	Key    string    `json:"-"`
	Author string    `json:"author"`
	Kind   EventKind `json:"kind"`
	// Text: the note (KindNote), the reason (KindMilestone moving a set
	// milestone, KindUpdated), or the caption (KindEvidence).
	Text      string    `json:"text,omitempty"`
	Milestone Milestone `json:"milestone,omitempty"`
	// At is the milestone's time; zero means now (the store's clock), so a
	// retried "resolve now" is the same request as the first attempt.
	At       time.Time   `json:"at,omitzero"`
	Attrs    *Attributes `json:"attrs,omitempty"`
	Evidence *Evidence   `json:"evidence,omitempty"`
	// Occurred is when a note or evidence happened, when it is not now.
	Occurred time.Time `json:"occurred,omitzero"`
	// Detail: a follow-up (KindFollowUp), a deploy link (KindDeployLink)
	// or a milestone's suggestion (KindMilestone).
	Detail *Detail `json:"detail,omitempty"`
}

// StateKinds returns the event kinds Build needs to derive an incident's
// attributes and milestones, a fresh slice each call.
func StateKinds() []EventKind {
	return []EventKind{KindDeclared, KindUpdated, KindMilestone, KindFollowUp, KindDeployLink}
}

// Tx is what the shared write logic needs from a dialect, inside one
// transaction. Implementations map their driver errors to this package's.
type Tx interface {
	// EventByKey returns the event written with idempotency key key.
	EventByKey(ctx context.Context, key string) (Event, bool, error)
	// LockIncident stops other writers of incident id until the
	// transaction ends. It returns the events that carry state (kinds in
	// StateKinds) in Seq order and the highest Seq of all events, or
	// ErrNotFound. Notes and evidence are skipped so an append costs the
	// same on the thousandth event as on the first.
	LockIncident(ctx context.Context, id int64) (state []Event, lastSeq int64, err error)
	// CreateIncident inserts a new incident and returns its id.
	CreateIncident(ctx context.Context, at time.Time) (int64, error)
	// InsertEvents appends events exactly as given (Seq included).
	InsertEvents(ctx context.Context, evs []Event) error
	// Now is the store's clock, read after LockIncident: with a shared
	// database that is the server's clock, so events from many machines
	// are stamped by one clock, in lock order.
	Now(ctx context.Context) (time.Time, error)
	// DeployByKey and InsertDeploy record deploys (RecordDeployTx).
	DeployByKey(ctx context.Context, key string) (Deploy, bool, error)
	InsertDeploy(ctx context.Context, d Deploy) (int64, error)
	// DeployByID returns the deploy with id, for linking.
	DeployByID(ctx context.Context, id int64) (Deploy, bool, error)
}

// DeclareTx is the body of every store's Declare: it validates d, answers
// a replayed key with the incident it created, and writes the declared
// event, the started and detected milestones and any evidence.
func DeclareTx(ctx context.Context, tx Tx, d Declaration) (int64, error) {
	if err := checkKeyAuthor(d.Key, d.Author); err != nil {
		return 0, err
	}
	hash := requestHash("declare", 0, d)
	if prev, ok, err := tx.EventByKey(ctx, d.Key); err != nil {
		return 0, err
	} else if ok {
		if prev.KeyHash != hash || prev.Kind != KindDeclared {
			return 0, keyReused(d.Key)
		}
		return prev.IncidentID, nil
	}
	now, err := tx.Now(ctx)
	if err != nil {
		return 0, err
	}
	now = Normalize(now)
	evs, err := planDeclare(d, now)
	if err != nil {
		return 0, err
	}
	id, err := tx.CreateIncident(ctx, now)
	if err != nil {
		return 0, err
	}
	for i := range evs {
		evs[i].IncidentID, evs[i].Seq = id, int64(i+1)
	}
	evs[0].Key, evs[0].KeyHash = d.Key, hash
	return id, tx.InsertEvents(ctx, evs)
}

// AppendTx is the body of every store's Append: it locks the incident,
// answers a replayed key with the event it wrote, validates w against the
// incident's history and appends one event.
func AppendTx(ctx context.Context, tx Tx, id int64, w Write) (Event, error) {
	if err := checkKeyAuthor(w.Key, w.Author); err != nil {
		return Event{}, err
	}
	// Lock before looking the key up, so two attempts of one write on one
	// incident are serialized instead of racing to insert.
	history, lastSeq, err := tx.LockIncident(ctx, id)
	if err != nil {
		return Event{}, err
	}
	hash := requestHash("append", id, w)
	if prev, ok, err := tx.EventByKey(ctx, w.Key); err != nil {
		return Event{}, err
	} else if ok {
		if prev.KeyHash != hash || prev.IncidentID != id {
			return Event{}, keyReused(w.Key)
		}
		return prev, nil
	}
	now, err := tx.Now(ctx)
	if err != nil {
		return Event{}, err
	}
	inc := Build(id, history)
	ev, err := plan(ctx, tx, inc, w, Normalize(now))
	if err != nil {
		return Event{}, err
	}
	ev.IncidentID, ev.Key, ev.KeyHash, ev.Seq = id, w.Key, hash, lastSeq+1
	if err := tx.InsertEvents(ctx, []Event{ev}); err != nil {
		return Event{}, err
	}
	return ev, nil
}

func keyReused(key string) error {
	return fmt.Errorf("%w: idempotency key %q was already used for a different request", ErrConflict, key)
}

func checkKeyAuthor(key, author string) error {
	switch {
	case strings.TrimSpace(key) == "":
		return fmt.Errorf("%w: a write needs an idempotency key", ErrInvalid)
	case len(key) > 200:
		return fmt.Errorf("%w: idempotency key is longer than 200 bytes", ErrInvalid)
	case strings.TrimSpace(author) == "":
		return fmt.Errorf("%w: a write needs an author", ErrInvalid)
	case !cleanLine(author):
		return fmt.Errorf("%w: author %q contains control characters", ErrInvalid, author)
	}
	return nil
}

// requestHash fingerprints a request. It is the request as the caller
// sent it (with "now" still zero), so a retry hashes the same.
func requestHash(op string, id int64, req any) string {
	b, err := json.Marshal(struct {
		Op  string `json:"op"`
		ID  int64  `json:"id"`
		Req any    `json:"req"`
	}{op, id, req})
	if err != nil {
		// Only plain data goes in; a failure here is a programming error.
		panic(fmt.Sprintf("incidents: hash request: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func planDeclare(d Declaration, now time.Time) ([]Event, error) {
	attrs := Attributes{Title: strings.TrimSpace(d.Title), Commander: strings.TrimSpace(d.Commander), Category: strings.TrimSpace(d.Category)}
	if err := checkTitle(attrs.Title); err != nil {
		return nil, err
	}
	if d.Kind != "" && d.Kind != KindIncident {
		k, err := ParseKind(string(d.Kind))
		if err != nil {
			return nil, err
		}
		attrs.Kind = k
	}
	if attrs.Category != "" {
		if err := checkLabel("category", attrs.Category); err != nil {
			return nil, err
		}
	}
	attrs.Severity = DefaultSeverity
	if d.Severity != "" {
		s, err := ParseSeverity(string(d.Severity))
		if err != nil {
			return nil, err
		}
		attrs.Severity = s
	}
	svcs, err := cleanServices(d.Services)
	if err != nil {
		return nil, err
	}
	attrs.Services = svcs
	if !cleanLine(attrs.Commander) {
		return nil, fmt.Errorf("%w: commander contains control characters", ErrInvalid)
	}
	declared := []Milestone{Started, Detected}
	if d.Undetected {
		if attrs.Kind != KindDrill {
			return nil, fmt.Errorf("%w: only a drill is declared before it is detected", ErrInvalid)
		}
		if !d.Detected.IsZero() || d.DetectedSuggestion != nil {
			return nil, fmt.Errorf("%w: an undetected drill has no detected time", ErrInvalid)
		}
		declared = declared[:1]
	}
	var ms Milestones
	for _, m := range []struct {
		m Milestone
		t time.Time
	}{{Started, d.Started}, {Detected, d.Detected}}[:len(declared)] {
		t, err := milestoneTime(m.m, m.t, now)
		if err != nil {
			return nil, err
		}
		ms.set(m.m, t)
	}
	if err := ms.CheckOrder(); err != nil {
		return nil, err
	}
	base := Event{Time: now, Author: d.Author}
	evs := []Event{withKind(base, KindDeclared, func(e *Event) { e.Attrs = &attrs })}
	sugg := map[Milestone]*Suggestion{Started: d.StartedSuggestion, Detected: d.DetectedSuggestion}
	for _, m := range declared {
		sg, err := cleanSuggestion(sugg[m])
		if err != nil {
			return nil, err
		}
		evs = append(evs, withKind(base, KindMilestone, func(e *Event) {
			e.Milestone, e.At = m, ms.Get(m)
			if sg != nil {
				e.Detail = &Detail{Suggestion: sg}
			}
		}))
	}
	for _, ev := range d.Evidence {
		ev, err := cleanEvidence(ev)
		if err != nil {
			return nil, err
		}
		evs = append(evs, withKind(base, KindEvidence, func(e *Event) { e.Evidence = &ev }))
	}
	return evs, nil
}

func withKind(e Event, k EventKind, f func(*Event)) Event {
	e.Kind = k
	f(&e)
	return e
}

// plan validates w against inc and returns the event to append.
func plan(ctx context.Context, tx Tx, inc Incident, w Write, now time.Time) (Event, error) {
	ev := Event{Kind: w.Kind, Time: now, Author: w.Author, Text: strings.TrimSpace(w.Text)}
	if !w.Occurred.IsZero() {
		t, err := milestoneTime("occurred", w.Occurred, now)
		if err != nil {
			return Event{}, err
		}
		// Only a time that differs from the record's is a second clock.
		if !t.Equal(now) {
			ev.Occurred = t
		}
	}
	if len(ev.Text) > MaxText {
		return Event{}, fmt.Errorf("%w: text is %d bytes; the limit is %d", ErrInvalid, len(ev.Text), MaxText)
	}
	if !utf8.ValidString(ev.Text) {
		return Event{}, fmt.Errorf("%w: text is not valid UTF-8", ErrInvalid)
	}
	switch w.Kind {
	case KindNote:
		if ev.Text == "" {
			return Event{}, fmt.Errorf("%w: a note needs text", ErrInvalid)
		}
	case KindMilestone:
		if w.Milestone.index() < 0 {
			return Event{}, fmt.Errorf("%w: unknown milestone %q", ErrInvalid, w.Milestone)
		}
		at, err := milestoneTime(w.Milestone, w.At, now)
		if err != nil {
			return Event{}, err
		}
		if cur := inc.Milestones.Get(w.Milestone); !cur.IsZero() && ev.Text == "" {
			if w.Milestone == Resolved {
				return Event{}, fmt.Errorf("%w: already resolved (at %s); moving the resolution time needs a reason", ErrConflict, FormatTime(cur))
			}
			return Event{}, fmt.Errorf("%w: %s is already set (to %s); moving it needs a reason", ErrConflict, w.Milestone, FormatTime(cur))
		}
		ms := inc.Milestones
		ms.set(w.Milestone, at)
		if err := ms.CheckOrder(); err != nil {
			return Event{}, err
		}
		ev.Milestone, ev.At, ev.Occurred = w.Milestone, at, time.Time{}
		if w.Detail != nil {
			sg, err := cleanSuggestion(w.Detail.Suggestion)
			if err != nil {
				return Event{}, err
			}
			if sg != nil {
				ev.Detail = &Detail{Suggestion: sg}
			}
		}
	case KindFollowUp:
		d, err := planFollowUp(inc, w.Detail)
		if err != nil {
			return Event{}, err
		}
		ev.Detail = d
	case KindDeployLink:
		d, err := planDeployLink(ctx, tx, inc, w.Detail)
		if err != nil {
			return Event{}, err
		}
		ev.Detail = d
	case KindEvidence:
		if w.Evidence == nil {
			return Event{}, fmt.Errorf("%w: an evidence event needs evidence", ErrInvalid)
		}
		e, err := cleanEvidence(*w.Evidence)
		if err != nil {
			return Event{}, err
		}
		ev.Evidence = &e
	case KindUpdated:
		a, err := cleanUpdate(w.Attrs)
		if err != nil {
			return Event{}, err
		}
		ev.Attrs = a
	default:
		return Event{}, fmt.Errorf("%w: cannot append a %q event", ErrInvalid, w.Kind)
	}
	return ev, nil
}

func milestoneTime(m Milestone, t, now time.Time) (time.Time, error) {
	if t.IsZero() {
		return now, nil
	}
	t = Normalize(t)
	if t.After(now.Add(ClockSkew)) {
		return time.Time{}, fmt.Errorf("%w: %s at %s is in the future (now is %s)", ErrInvalid, m, FormatTime(t), FormatTime(now))
	}
	if t.Year() < 1970 {
		return time.Time{}, fmt.Errorf("%w: %s at %s is before 1970", ErrInvalid, m, FormatTime(t))
	}
	return t, nil
}

func checkTitle(t string) error {
	switch {
	case t == "":
		return fmt.Errorf("%w: an incident needs a title", ErrInvalid)
	case utf8.RuneCountInString(t) > MaxTitle:
		return fmt.Errorf("%w: title is longer than %d characters", ErrInvalid, MaxTitle)
	case !cleanLine(t):
		return fmt.Errorf("%w: title contains control characters or line breaks", ErrInvalid)
	}
	return nil
}

// cleanLine reports whether s is one line a terminal can show as is.
func cleanLine(s string) bool {
	return sanitize.Line(s) == s
}

func cleanServices(in []string) ([]string, error) {
	if len(in) > MaxServices {
		return nil, fmt.Errorf("%w: more than %d services", ErrInvalid, MaxServices)
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		if len(s) > 100 || !cleanLine(s) || strings.Contains(s, ",") {
			return nil, fmt.Errorf("%w: service name %q is not a plain name", ErrInvalid, s)
		}
		seen[s] = true
		out = append(out, s)
	}
	return out, nil
}

func cleanUpdate(a *Attributes) (*Attributes, error) {
	if a == nil {
		return nil, fmt.Errorf("%w: an update needs something to change", ErrInvalid)
	}
	out := &Attributes{Title: strings.TrimSpace(a.Title), Commander: strings.TrimSpace(a.Commander), Category: strings.ToLower(strings.TrimSpace(a.Category))}
	if a.Kind != "" {
		k, err := ParseKind(string(a.Kind))
		if err != nil {
			return nil, err
		}
		out.Kind = k
	}
	if out.Category != "" {
		if err := checkLabel("category", out.Category); err != nil {
			return nil, err
		}
	}
	if out.Title != "" {
		if err := checkTitle(out.Title); err != nil {
			return nil, err
		}
	}
	if a.Severity != "" {
		s, err := ParseSeverity(string(a.Severity))
		if err != nil {
			return nil, err
		}
		out.Severity = s
	}
	svcs, err := cleanServices(a.Services)
	if err != nil {
		return nil, err
	}
	out.Services = svcs
	if !cleanLine(out.Commander) {
		return nil, fmt.Errorf("%w: commander contains control characters", ErrInvalid)
	}
	if out.Title == "" && out.Severity == "" && out.Services == nil && out.Commander == "" && out.Kind == "" && out.Category == "" {
		return nil, fmt.Errorf("%w: an update needs something to change", ErrInvalid)
	}
	return out, nil
}

func cleanEvidence(e Evidence) (Evidence, error) {
	switch e.Kind {
	case EvidenceLog, EvidenceSpan, EvidenceChart, EvidenceQuery:
	default:
		return Evidence{}, fmt.Errorf("%w: evidence kind %q is not one of log, span, chart, query", ErrInvalid, e.Kind)
	}
	e.From, e.To = Normalize(e.From), Normalize(e.To)
	if !e.From.IsZero() && !e.To.IsZero() && e.To.Before(e.From) {
		return Evidence{}, fmt.Errorf("%w: evidence window ends (%s) before it starts (%s)", ErrInvalid, FormatTime(e.To), FormatTime(e.From))
	}
	// The snapshot is outside text by definition: sanitize it once here so
	// no reader ever has to remember to.
	e.Snapshot = sanitize.Text(e.Snapshot)
	if len(e.Snapshot) > MaxSnapshot {
		return Evidence{}, fmt.Errorf("%w: evidence snapshot is %d bytes; the limit is %d", ErrInvalid, len(e.Snapshot), MaxSnapshot)
	}
	e.Source, e.Query = sanitize.Line(e.Source), sanitize.Text(e.Query)
	if e.Link != "" {
		u, err := url.Parse(e.Link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Evidence{}, fmt.Errorf("%w: evidence link %q is not an http(s) URL", ErrInvalid, e.Link)
		}
	}
	return e, nil
}

func cleanSuggestion(s *Suggestion) (*Suggestion, error) {
	if s == nil {
		return nil, nil
	}
	out := &Suggestion{At: Normalize(s.At), Method: sanitize.Line(strings.TrimSpace(s.Method)), Query: sanitize.Text(s.Query)}
	if out.At.IsZero() || out.Method == "" {
		return nil, fmt.Errorf("%w: a suggestion needs a time and a method", ErrInvalid)
	}
	if len(out.Query) > MaxText || len(out.Method) > MaxTitle {
		return nil, fmt.Errorf("%w: a suggestion's query or method is too long", ErrInvalid)
	}
	return out, nil
}
