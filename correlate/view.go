package correlate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// View is everything found about one request: its spans and logs joined
// into one timeline, a summary, and what was searched, where, and what
// failed.
type View struct {
	// Input is the ID as searched (normalized); Kind is IDRequest or
	// IDTrace.
	Input string
	Kind  IDKind
	// RequestIDs and TraceIDs are every request and trace id tied to the
	// input, both ways: trace ids named in the request's lines or found by
	// the span tag, request ids on the trace's spans or lines.
	RequestIDs []string
	TraceIDs   []string
	// Window is the padded window around what was found; when nothing was
	// found, the window searched.
	Window Window
	// Searched is the window the input was searched over. When Widened,
	// nothing was found in Narrow first.
	Searched Window
	Widened  bool
	Narrow   Window
	// LogBackend is the log backend's name ("loki", "victorialogs",
	// "log backend" when none is configured), as Partial names it.
	LogBackend string
	// Selectors are the log stream selectors searched; TraceTag the span tag;
	// JaegerServices the services whose traces were searched by tag.
	Selectors      []string
	TraceTag       string
	JaegerServices []string
	*Joined
	Summary Summary
	// Partial lists the backends that failed or are missing; the view is
	// partial when it is not empty.
	Partial  []Problem
	Warnings []string
	// Changes are the deploys and config changes inside Window to the
	// view's services or to no service in particular, in time order;
	// ChangesElsewhere counts those to other services. ChangesProblem,
	// when not empty, says why some change source did not answer.
	Changes          []Change
	ChangesElsewhere int
	ChangesProblem   string
	// Calls are the backend calls made, in the order they finished.
	Calls []Call
	// Took is the wall time of the whole resolution.
	Took time.Duration
	// Searching is set on the snapshots handed to a progress function
	// while calls are still out; Pending then counts them.
	Searching bool
	Pending   int
}

// Summary leads the view.
type Summary struct {
	// FirstError is the earliest error span or error-level line; nil when
	// there is none.
	FirstError *Event
	// SlowestSpan is the longest span; nil without spans.
	SlowestSpan *Event
	// CriticalServices are the services on the critical path of each
	// trace, in path order, traces in order of start.
	CriticalServices []string
	SpanCount        int
	LogCount         int
}

// Event points at one span or log line of the view.
type Event struct {
	Time    time.Time
	Kind    ItemKind
	Ref     int
	Service string
	// Text is the span's operation or the log line, sanitized.
	Text     string
	Duration time.Duration
	TraceID  string
	SpanID   string
}

// Found reports whether anything was found.
func (v *View) Found() bool { return v.Joined != nil && len(v.Spans)+len(v.Logs) > 0 }

// IsPartial reports whether a backend failed or is missing.
func (v *View) IsPartial() bool { return len(v.Partial) > 0 }

// finish joins what the search collected into v.
func (s *search) finish(v *View) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.r
	// Clones: a snapshot taken while calls are out must not share what
	// later answers append to.
	v.Calls = slices.Clone(s.calls)
	v.Warnings = slices.Clone(s.warnings)
	v.JaegerServices = slices.Clone(s.findSvcs)

	traceIDs := make([]string, 0, len(s.traces))
	for id := range s.traces {
		traceIDs = append(traceIDs, id)
	}
	slices.SortFunc(traceIDs, func(a, b string) int {
		return s.traces[a].Spans[0].Start.Compare(s.traces[b].Spans[0].Start)
	})
	var spans []sources.Span
	reqs := map[string]bool{}
	var crit []string
	for _, id := range traceIDs {
		t := s.traces[id]
		for _, sp := range t.Spans {
			if sp.TraceID == "" {
				sp.TraceID = id
			}
			spans = append(spans, sp)
			if val, ok := sp.Tag(r.cfg.TraceTag); ok {
				if rid, ok := NormalizeRequestID(val); ok {
					reqs[rid] = true
				}
			}
		}
		for _, svc := range CriticalServices(t.Spans) {
			if !slices.Contains(crit, svc) {
				crit = append(crit, svc)
			}
		}
	}
	tids := map[string]bool{}
	for _, id := range traceIDs {
		tids[id] = true
	}
	for _, l := range s.logs {
		if l.TraceID != "" {
			tids[l.TraceID] = true
		}
		if l.RequestID != "" {
			reqs[l.RequestID] = true
		}
	}
	if v.Kind == IDRequest {
		reqs[v.Input] = true
	}
	v.TraceIDs = sortedKeys(tids, "")
	v.RequestIDs = sortedKeys(reqs, v.Input)
	v.Joined = Join(spans, slices.Clone(s.logs))
	v.Summary = summarize(v.Joined)
	v.Summary.CriticalServices = crit

	v.Window = v.Searched
	if v.Found() {
		var w Window
		for _, sp := range v.Spans {
			w = w.Union(Window{sp.Start, sp.End()})
		}
		for _, l := range v.Logs {
			w = w.Union(Window{l.Time, l.Time})
		}
		v.Window = w.Padded(r.cfg.Pad)
	}
	s.changesIn(v)
	for _, b := range []struct {
		name string
		ok   bool
	}{{r.logName(), r.cfg.Logs != nil}, {"jaeger", r.cfg.Traces != nil}} {
		if !b.ok {
			v.Partial = append(v.Partial, Problem{Backend: b.name, Missing: true})
			continue
		}
		if errs := s.failed[b.name]; len(errs) > 0 {
			v.Partial = append(v.Partial, Problem{Backend: b.name, Kind: sources.KindOf(errs[0]), Reason: reasonOf(errs[0])})
		}
	}
}

// reasonOf is the error's detail without the backend and kind that
// Problem prints itself.
func reasonOf(err error) string {
	if se, ok := err.(*sources.Error); ok && se.Msg != "" {
		return sanitize.Line(se.Msg)
	}
	return sources.CleanMessage(err)
}

// sortedKeys returns the set's keys sorted, first (when set) leading.
func sortedKeys(m map[string]bool, first string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != first {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	if first != "" && m[first] {
		out = append([]string{first}, out...)
	}
	return out
}

// summarize finds the first error and the slowest span. The first error
// span is taken among error spans with no failing child: an error that
// propagates up marks every ancestor, and the root always starts first,
// but the user wants where it began.
func summarize(j *Joined) Summary {
	sum := Summary{SpanCount: len(j.Spans), LogCount: len(j.Logs)}
	failingParent := map[string]bool{}
	for i := range j.Spans {
		if sp := &j.Spans[i]; sp.Error && sp.ParentSpanID != "" {
			failingParent[sp.TraceID+"/"+sp.ParentSpanID] = true
		}
	}
	for i := range j.Spans {
		sp := &j.Spans[i]
		origin := sp.Error && !failingParent[sp.TraceID+"/"+sp.SpanID]
		if origin && (sum.FirstError == nil || sp.Start.Before(sum.FirstError.Time)) {
			sum.FirstError = spanEvent(sp, i)
		}
		if sum.SlowestSpan == nil || sp.Duration > sum.SlowestSpan.Duration {
			sum.SlowestSpan = spanEvent(sp, i)
		}
	}
	for _, i := range j.LogOrder {
		l := &j.Logs[i]
		if !IsErrorLevel(l.Level) {
			continue
		}
		if sum.FirstError == nil || l.Time.Before(sum.FirstError.Time) {
			sum.FirstError = &Event{Time: l.Time, Kind: ItemLog, Ref: int(i), Service: l.Service, Text: l.Line,
				TraceID: l.TraceID, SpanID: l.SpanID}
		}
		break // in time order: the first error line is the earliest
	}
	return sum
}

func spanEvent(sp *sources.Span, i int) *Event {
	return &Event{Time: sp.Start, Kind: ItemSpan, Ref: i, Service: sp.Service, Text: sanitize.Line(sp.Operation),
		Duration: sp.Duration, TraceID: sp.TraceID, SpanID: sp.SpanID}
}

// IsErrorLevel reports whether a level names an error or worse.
func IsErrorLevel(level string) bool {
	switch strings.ToLower(level) {
	case "error", "err", "fatal", "critical", "crit", "panic", "emerg", "emergency", "alert", "e", "f":
		return true
	}
	return false
}

// NotFound says what was searched when nothing was found: "not found in
// <window>; searched Loki selectors … and Jaeger tag …".
func (v *View) NotFound() string {
	var b strings.Builder
	b.WriteString(sanitize.Line(v.Input) + " not found in ")
	if v.Widened {
		fmt.Fprintf(&b, "%s nor, widened once, in %s", v.Narrow, v.Searched)
	} else {
		b.WriteString(v.Searched.String())
	}
	b.WriteString("; searched ")
	var parts []string
	if !v.missing(v.LogBackend) {
		parts = append(parts, DisplayName(v.LogBackend)+" selectors "+strings.Join(v.Selectors, ", "))
	}
	if !v.missing("jaeger") {
		if v.Kind == IDTrace {
			parts = append(parts, "Jaeger trace "+v.Input)
		} else {
			j := fmt.Sprintf("Jaeger tag %s=%s", v.TraceTag, sanitize.Line(v.Input))
			if n := len(v.JaegerServices); n > 0 {
				j += fmt.Sprintf(" in %d services (%s)", n, strings.Join(v.JaegerServices, ", "))
			}
			parts = append(parts, j)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing: no log backend or Jaeger is configured")
	}
	b.WriteString(strings.Join(parts, " and "))
	return b.String()
}

func (v *View) missing(backend string) bool {
	for _, p := range v.Partial {
		if p.Backend == backend && p.Missing {
			return true
		}
	}
	return false
}

// PartialNote is "partial: jaeger unreachable: …; showing logs only", or
// "" when every backend answered.
func (v *View) PartialNote() string {
	if len(v.Partial) == 0 {
		return ""
	}
	ps := make([]string, len(v.Partial))
	failed := map[string]bool{}
	for i, p := range v.Partial {
		ps[i] = p.String()
		failed[p.Backend] = true
	}
	note := "partial: " + strings.Join(ps, "; ")
	switch {
	case failed[v.LogBackend] && failed["jaeger"]:
	case failed["jaeger"]:
		note += "; showing logs only"
	case failed[v.LogBackend]:
		note += "; showing spans only"
	}
	return note
}

// DisplayName is how a backend is named in sentences: "Loki",
// "VictoriaLogs", "Jaeger"; an unknown name as it is.
func DisplayName(backend string) string {
	switch backend {
	case "loki":
		return "Loki"
	case "victorialogs":
		return "VictoriaLogs"
	case "jaeger":
		return "Jaeger"
	}
	return backend
}
