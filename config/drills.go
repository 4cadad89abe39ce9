package config

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Drill is one game-day scenario of a context: a fault to inject, the
// alert that should catch it and the runbook the responders follow.
// `reltui drill start NAME` records the injection time as the drill's
// started, runs the injection and waits for the alert, whose firing time
// becomes detected.
//
//	drills:
//	  - name: api-errors
//	    description: api answers 5xx for three minutes
//	    inject:
//	      http: {method: POST, url: "http://127.0.0.1:7070/faults/errors?for=3m"}
//	      # or: command: [sh, -c, "kubectl -n shop scale deploy/api --replicas=0"]
//	    alert: HighErrorRate
//	    runbook: HighErrorRate.md
//	    services: [api]
//	    timeout: 5m
type Drill struct {
	Name        string      `yaml:"name"`
	Description string      `yaml:"description"`
	Inject      DrillInject `yaml:"inject"`
	// Alert is the name of the Prometheus alerting rule expected to fire.
	Alert string `yaml:"alert"`
	// Runbook is the runbook the responders follow (a file in the
	// context's runbook directory or a URL); it is recorded on the drill.
	Runbook  string   `yaml:"runbook"`
	Services []string `yaml:"services"`
	Severity string   `yaml:"severity"`
	// Timeout is how long start waits for the alert (default 10m).
	Timeout Duration `yaml:"timeout"`
}

// DrillInject is the fault: exactly one of Command (argv, run without a
// shell unless it names one) and HTTP.
type DrillInject struct {
	Command []string   `yaml:"command"`
	HTTP    *DrillHTTP `yaml:"http"`
	// Timeout bounds the injection itself (default 30s).
	Timeout Duration `yaml:"timeout"`
}

// DrillHTTP is an HTTP call that injects a fault; any 2xx answer is
// success. It carries no credentials: an injection endpoint that needs
// them is called through a command that reads them itself.
type DrillHTTP struct {
	Method string `yaml:"method"`
	URL    string `yaml:"url"`
	Body   string `yaml:"body"`
}

// DefaultDrillTimeout is how long a drill waits for its alert unless the
// scenario says otherwise.
const DefaultDrillTimeout = 10 * time.Minute

// DefaultInjectTimeout bounds one injection unless the scenario says
// otherwise.
const DefaultInjectTimeout = 30 * time.Second

// WaitOr returns the drill's alert timeout, or DefaultDrillTimeout.
func (d Drill) WaitOr() time.Duration {
	if d.Timeout > 0 {
		return d.Timeout.Std()
	}
	return DefaultDrillTimeout
}

// InjectTimeoutOr returns the injection's timeout, or DefaultInjectTimeout.
func (d Drill) InjectTimeoutOr() time.Duration {
	if d.Inject.Timeout > 0 {
		return d.Inject.Timeout.Std()
	}
	return DefaultInjectTimeout
}

// MethodOr returns the call's method, POST unless it names one.
func (h DrillHTTP) MethodOr() string {
	if m := strings.TrimSpace(h.Method); m != "" {
		return strings.ToUpper(m)
	}
	return http.MethodPost
}

// Drill returns the context's scenario called name.
func (c *Context) Drill(name string) (Drill, bool) {
	if c == nil {
		return Drill{}, false
	}
	for _, d := range c.Drills {
		if d.Name == name {
			return d, true
		}
	}
	return Drill{}, false
}

func (f *File) validateDrills(key string, ds []Drill) []Problem {
	var ps []Problem
	names := map[string]bool{}
	for i, d := range ds {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case strings.TrimSpace(d.Name) == "" || strings.ContainsAny(d.Name, " \t/"):
			ps = append(ps, f.problem(k+".name", "a drill needs a name without spaces or slashes (reltui drill start NAME)"))
		case names[d.Name]:
			ps = append(ps, f.problem(k+".name", "another drill is called %q", d.Name))
		}
		names[d.Name] = true
		if !labelNameRE.MatchString(d.Alert) {
			ps = append(ps, f.problem(k+".alert", "a drill needs the name of the alerting rule expected to fire (%q is not one)", d.Alert))
		}
		switch cmd, h := len(d.Inject.Command) > 0, d.Inject.HTTP != nil; {
		case !cmd && !h:
			ps = append(ps, f.problem(k+".inject", "a drill needs a fault to inject: command: [argv...] or http: {method, url}"))
		case cmd && h:
			ps = append(ps, f.problem(k+".inject", "inject runs a command or an HTTP call, not both"))
		case cmd && strings.TrimSpace(d.Inject.Command[0]) == "":
			ps = append(ps, f.problem(k+".inject.command", "the command's first word is the program to run"))
		case h:
			if p := f.checkURL(k+".inject.http.url", d.Inject.HTTP.URL, []string{"http", "https"}); p != nil {
				ps = append(ps, *p)
			}
			switch d.Inject.HTTP.MethodOr() {
			case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			default:
				ps = append(ps, f.problem(k+".inject.http.method", "method %q is not GET, POST, PUT, PATCH or DELETE", d.Inject.HTTP.Method))
			}
		}
		if t := d.Timeout.Std(); t < 0 || t > 2*time.Hour {
			ps = append(ps, f.problem(k+".timeout", "timeout %s is outside 0..2h", t))
		}
		if t := d.Inject.Timeout.Std(); t < 0 || t > 10*time.Minute {
			ps = append(ps, f.problem(k+".inject.timeout", "timeout %s is outside 0..10m", t))
		}
	}
	return ps
}
