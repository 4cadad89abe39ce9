package drill

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// Scenario is a drill scenario as a run needs it; the caller converts
// its configuration (this package does not read config).
type Scenario struct {
	Name        string
	Description string
	// Alert is the alerting rule expected to fire.
	Alert string
	// Runbook, when set, is recorded on the drill with the alert.
	Runbook  string
	Services []string
	Severity incidents.Severity
	Fault    Fault
	// Wait is how long Await waits when it is given no timeout.
	Wait time.Duration
}

// Store is the part of incidents.Store a run writes through.
type Store interface {
	Declare(ctx context.Context, d incidents.Declaration) (incidents.Incident, error)
	Append(ctx context.Context, id int64, w incidents.Write) (incidents.Event, error)
}

// Recorder gives a run the incident store for one unit of work (the
// declaration with its runbook note, then each later write): Record
// runs fn with a store it may open for that call only, as the wait for
// the alert can be long. Its errors come back from Start and Await
// unchanged.
type Recorder interface {
	Record(ctx context.Context, fn func(ctx context.Context, s Store) error) error
}

// Held is a Recorder over a store that stays open.
type Held struct{ Store Store }

// Record runs fn on h's store.
func (h Held) Record(ctx context.Context, fn func(ctx context.Context, s Store) error) error {
	return fn(ctx, h.Store)
}

// DefaultPoll is how often Await asks the rules API about the expected
// alert: well inside a typical 15s-1m evaluation interval, and the
// firing time comes from the alert's activeAt, not from when it was seen.
const DefaultPoll = 3 * time.Second

// noteTimeout bounds the write of the note that ends an interrupted
// wait.
const noteTimeout = 10 * time.Second

// progressEvery is the least time between two "waiting for" lines.
const progressEvery = 15 * time.Second

// Runner runs drills against one context's alerting and records them.
type Runner struct {
	// Rules is the context's Prometheus rules API.
	Rules RuleLister
	// Record is where the drill is written.
	Record Recorder
	// Author is who the writes are recorded as.
	Author string
	// Context names the context, for messages.
	Context string
	// Grafana links the alert's evidence to Explore.
	Grafana incidents.Grafana
	// Key returns a fresh idempotency key for each write (random when
	// nil).
	Key func() string
	// Say, when set, is told each progress line.
	Say func(line string)
	// Poll is how often the rules API is asked (DefaultPoll when zero).
	Poll time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// HTTP makes an HTTP fault's call (http.DefaultClient when nil).
	HTTP *http.Client
}

func (r Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r Runner) key() string {
	if r.Key != nil {
		return r.Key()
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "drill-" + hex.EncodeToString(b[:])
}

func (r Runner) say(format string, a ...any) {
	if r.Say != nil {
		r.Say(fmt.Sprintf(format, a...))
	}
}

// write appends one event to drill id under a fresh key.
func (r Runner) write(ctx context.Context, id int64, w incidents.Write) error {
	w.Key, w.Author = r.key(), r.Author
	return r.Record.Record(ctx, func(ctx context.Context, s Store) error {
		_, err := s.Append(ctx, id, w)
		return err
	})
}

// closingNote notes why a run ended early. It is written even when ctx
// ended (the user interrupted the run), as it is what says so; a failed
// write is left unsaid, the run's error being what the caller reports.
func (r Runner) closingNote(ctx context.Context, id int64, text string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), noteTimeout)
	defer cancel()
	_ = r.write(ctx, id, incidents.Write{Kind: incidents.KindNote, Text: text})
}

// Start checks that the context has sc's alerting rule and that it is
// not already pending or firing (unless force: then only a new instance
// counts), declares the drill with the injection time as started and
// detected left for the alert, injects the fault and records what the
// injection said. A failed injection is noted on the drill and returned.
func (r Runner) Start(ctx context.Context, sc Scenario, force bool) (id int64, started time.Time, err error) {
	rules, err := r.Rules.Rules(ctx)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read the alerting rules: %w", err)
	}
	if _, _, st := Find(rules, sc.Alert, r.now()); !st.Found {
		return 0, time.Time{}, fmt.Errorf("context %s's Prometheus has no alerting rule named %s", r.Context, sc.Alert)
	}
	if n := Active(rules, sc.Alert); n > 0 && !force {
		return 0, time.Time{}, fmt.Errorf("%s is already pending or firing (%d instance(s)): the drill could not tell its own alert apart; wait for it to clear or pass --force", sc.Alert, n)
	}

	// started is the injection time, taken just before the call goes out.
	started = r.now()
	inc, err := r.declare(ctx, sc, started)
	if err != nil {
		return 0, time.Time{}, err
	}
	id = inc.ID
	r.say("drill %s declared as %s, injecting its fault", sanitize.Line(sc.Name), incidents.Ref(id))
	said, injErr := Inject(ctx, sc.Fault, r.HTTP)
	if injErr != nil {
		r.closingNote(ctx, id, "drill injection failed: "+injErr.Error())
		return id, started, fmt.Errorf("drill %s: %v (recorded on %s; resolve it with reltui incident resolve)", sc.Name, injErr, incidents.Ref(id))
	}
	if err := r.write(ctx, id, incidents.Write{Kind: incidents.KindNote, Occurred: started, Text: "drill fault injected: " + said}); err != nil {
		return id, started, err
	}
	r.say("injected: %s", said)
	return id, started, nil
}

// declare opens the drill's record, with the runbook noted beside the
// declaration in one unit of work.
func (r Runner) declare(ctx context.Context, sc Scenario, started time.Time) (incidents.Incident, error) {
	d := incidents.Declaration{
		Key: r.key(), Author: r.Author, Title: Title(sc.Name, sc.Description), Kind: incidents.KindDrill, Started: started, Undetected: true,
		Services: sc.Services, Severity: sc.Severity,
	}
	var inc incidents.Incident
	err := r.Record.Record(ctx, func(ctx context.Context, s Store) error {
		var err error
		if inc, err = s.Declare(ctx, d); err != nil {
			return err
		}
		if rb := strings.TrimSpace(sc.Runbook); rb != "" {
			_, err = s.Append(ctx, inc.ID, incidents.Write{Key: r.key(), Author: r.Author, Kind: incidents.KindNote,
				Text: fmt.Sprintf("drill runbook: %s (expected alert %s)", rb, sc.Alert)})
		}
		return err
	})
	return inc, err
}

// Await waits up to timeout (sc.Wait when not positive) for sc's alert
// to fire with an instance active since started, saying where the rule
// stands at most every 15s. When it fires, detected (its firing time)
// and the alert as evidence are recorded on drill id; when it does not,
// a note says why and the error is returned.
func (r Runner) Await(ctx context.Context, sc Scenario, id int64, started time.Time, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = sc.Wait
	}
	poll := r.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	waitStart := r.now()
	var last time.Time
	fired, werr := Wait(ctx, r.Rules, sc.Alert, started, poll, timeout, func(st Status, err error) {
		if r.now().Sub(last) < progressEvery {
			return
		}
		last = r.now()
		where := st.State
		if err != nil {
			where = "rules API: " + sanitize.Line(err.Error())
		} else if !st.Since.IsZero() {
			where += " since " + incidents.FormatTime(st.Since)
		}
		r.say("waiting for %s: %s (%s of %s)", sc.Alert, where, r.now().Sub(waitStart).Round(time.Second), timeout)
	})
	if werr != nil {
		text := fmt.Sprintf("drill: %s; the drill stays undetected", werr)
		if !errors.Is(werr, ErrNotDetected) {
			text = fmt.Sprintf("drill: stopped waiting for %s (%v); detected is not recorded", sc.Alert, werr)
		}
		r.closingNote(ctx, id, text)
		return fmt.Errorf("%s (%s)", text, incidents.Ref(id))
	}
	at := incidents.Normalize(fired.At())
	why := fmt.Sprintf("the expected alert %s fired (active %s, rule for %s, evaluated every %s)", sc.Alert, incidents.FormatTime(fired.Alert.ActiveAt), fired.For, fired.Interval)
	if err := r.write(ctx, id, incidents.Write{Kind: incidents.KindMilestone, Milestone: incidents.Detected, At: at, Text: why}); err != nil {
		return err
	}
	fired.Alert.Source = "prometheus"
	ev := incidents.FromAlertLinked(fired.Alert, r.now(), r.Grafana).Evidence[0]
	return r.write(ctx, id, incidents.Write{Kind: incidents.KindEvidence, Evidence: &ev, Text: "the drill's expected alert"})
}

// Resumable says why Await cannot resume inc, or nil: only a drill
// that was not detected yet can be waited for again.
func Resumable(inc incidents.Incident) error {
	switch {
	case inc.Kind != incidents.KindDrill:
		return fmt.Errorf("%s is not a drill (kind %s)", incidents.Ref(inc.ID), inc.Kind)
	case !inc.Milestones.Detected.IsZero():
		return fmt.Errorf("%s was already detected at %s", incidents.Ref(inc.ID), incidents.FormatTime(inc.Milestones.Detected))
	}
	return nil
}
