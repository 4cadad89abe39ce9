// Package drill runs game days: it injects a scenario's fault (a command
// or an HTTP call) and watches the team's real alerting for the alert the
// scenario expects, whose firing time is the drill's detected milestone.
// A Runner declares the drill, injects, waits and records what happened
// through a Recorder the caller passes (the incident store, opened as the
// caller likes), so the drill is measured by the same MTTx as any
// incident; it reads no configuration (the caller converts its scenario).
package drill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/sanitize"
)

// Fault is what a drill injects: exactly one of Command (argv, run without
// a shell) and URL (an HTTP call; any 2xx answer is success).
type Fault struct {
	Command []string
	Method  string
	URL     string
	Body    string
	Timeout time.Duration
}

// maxOutput caps what an injection's output contributes to the record.
const maxOutput = 400

// Inject runs f and returns a one-line account of what it did, for the
// drill's timeline. hc may be nil (http.DefaultClient).
func Inject(ctx context.Context, f Fault, hc *http.Client) (string, error) {
	if f.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.Timeout)
		defer cancel()
	}
	switch {
	case len(f.Command) > 0 && f.URL != "":
		return "", errors.New("a fault is a command or an HTTP call, not both")
	case len(f.Command) > 0:
		cmd := exec.CommandContext(ctx, f.Command[0], f.Command[1:]...)
		out, err := cmd.CombinedOutput()
		said := oneLine(out)
		if err != nil {
			return "", fmt.Errorf("run %s: %w%s", sanitize.Line(f.Command[0]), err, suffix(said))
		}
		return fmt.Sprintf("ran %s%s", sanitize.Line(strings.Join(f.Command, " ")), suffix(said)), nil
	case f.URL != "":
		if hc == nil {
			hc = http.DefaultClient
		}
		method := f.Method
		if method == "" {
			method = http.MethodPost
		}
		req, err := http.NewRequestWithContext(ctx, method, f.URL, strings.NewReader(f.Body))
		if err != nil {
			return "", fmt.Errorf("build the injection request: %w", err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return "", fmt.Errorf("call %s %s: %w", method, sanitize.Line(f.URL), err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		said := oneLine(body)
		if resp.StatusCode/100 != 2 {
			return "", fmt.Errorf("call %s %s: %s%s", method, sanitize.Line(f.URL), resp.Status, suffix(said))
		}
		return fmt.Sprintf("%s %s: %s%s", method, sanitize.Line(f.URL), resp.Status, suffix(said)), nil
	}
	return "", errors.New("a fault needs a command or an HTTP call")
}

func oneLine(b []byte) string {
	s := strings.Join(strings.Fields(sanitize.Line(string(bytes.ToValidUTF8(b, nil)))), " ")
	if r := []rune(s); len(r) > maxOutput {
		s = string(r[:maxOutput]) + "…"
	}
	return s
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// Fired is the expected alert caught firing.
type Fired struct {
	Alert sources.Alert
	// For is the rule's pending duration and Interval its group's
	// evaluation interval.
	For, Interval time.Duration
	// Query is the rule's expression.
	Query string
}

// At is when the alert fired: it became active, then held for the rule's
// for duration.
func (f Fired) At() time.Time { return f.Alert.ActiveAt.Add(f.For) }

// Status is where the watched rule stands, for a progress line.
type Status struct {
	// Found is false while the rules API has no alerting rule by the name.
	Found bool
	// State is the newest instance's state (inactive, pending, firing).
	State string
	// Since is when that instance became active.
	Since time.Time
	// Stale counts instances active since before the injection: they
	// were not caused by it and are ignored.
	Stale int
}

// Find looks in rules for an instance of the alerting rule named alert
// that became active at or after since and is firing. The status says
// where the rule stands when it is not.
func Find(rules []prom.Rule, alert string, since time.Time) (Fired, bool, Status) {
	var st Status
	for _, r := range rules {
		if !r.Alerting() || r.Name != alert {
			continue
		}
		st.Found = true
		for _, a := range r.Alerts {
			if a.ActiveAt.IsZero() || a.ActiveAt.Before(since) {
				st.Stale++
				continue
			}
			if a.State == "firing" {
				a.Name = r.Name
				return Fired{Alert: a, For: r.For, Interval: r.Interval, Query: r.Query}, true, Status{Found: true, State: "firing", Since: a.ActiveAt}
			}
			if st.Since.IsZero() || a.ActiveAt.Before(st.Since) {
				st.State, st.Since = a.State, a.ActiveAt
			}
		}
	}
	if st.Found && st.State == "" {
		st.State = "inactive"
	}
	return Fired{}, false, st
}

// Active reports how many instances of the rule named alert are pending
// or firing now: a drill started while its alert is already active
// cannot tell its own firing apart.
func Active(rules []prom.Rule, alert string) int {
	n := 0
	for _, r := range rules {
		if r.Alerting() && r.Name == alert {
			for _, a := range r.Alerts {
				if a.State == "pending" || a.State == "firing" {
					n++
				}
			}
		}
	}
	return n
}

// RuleLister is the part of the Prometheus client Wait needs.
type RuleLister interface {
	Rules(ctx context.Context) ([]prom.Rule, error)
}

// ErrNotDetected is returned by Wait when the alert did not fire in time.
var ErrNotDetected = errors.New("the expected alert did not fire")

// Wait polls rules every poll until the alert named alert fires with an
// instance active since since, ctx ends or timeout passes. progress, if
// not nil, is told where the rule stands after each poll (and err of a
// failed poll, which is retried).
func Wait(ctx context.Context, rl RuleLister, alert string, since time.Time, poll, timeout time.Duration, progress func(Status, error)) (Fired, error) {
	if poll <= 0 {
		poll = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		rules, err := rl.Rules(ctx)
		if err == nil {
			f, ok, st := Find(rules, alert, since)
			if ok {
				return f, nil
			}
			if progress != nil {
				progress(st, nil)
			}
		} else if ctx.Err() == nil && progress != nil {
			progress(Status{}, err)
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return Fired{}, fmt.Errorf("%w within %s", ErrNotDetected, timeout)
			}
			return Fired{}, ctx.Err()
		case <-t.C:
		}
	}
}
