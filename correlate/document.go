package correlate

import (
	"slices"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Document is the request view as `reltui request --output json` prints
// it. Every string in it is sanitized.
type Document struct {
	RequestID string         `json:"request_id"`
	TraceIDs  []string       `json:"trace_ids"`
	Services  []string       `json:"services"`
	Window    WindowJSON     `json:"window"`
	Summary   SummaryJSON    `json:"summary"`
	Spans     []SpanJSON     `json:"spans"`
	Logs      []LogJSON      `json:"logs"`
	Timeline  []TimelineJSON `json:"timeline"`
	// Changes are the deploys and config changes inside the window, to
	// the request's services or to none in particular;
	// ChangesElsewhere counts those to other services.
	Changes          []ChangeJSON `json:"changes"`
	ChangesElsewhere int          `json:"changes_elsewhere"`
	// Link opens the same request in the team's web UI (Grafana Explore,
	// Jaeger UI or VictoriaLogs' UI); empty when the context names none.
	Link string `json:"link,omitempty"`
}

// WindowJSON is a window in UTC.
type WindowJSON struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// SummaryJSON is the summary. FirstError and SlowestSpan are null when
// there is none.
type SummaryJSON struct {
	FirstError           *EventJSON `json:"first_error"`
	SlowestSpan          *EventJSON `json:"slowest_span"`
	CriticalPathServices []string   `json:"critical_path_services"`
	SpanCount            int        `json:"span_count"`
	LogCount             int        `json:"log_count"`
}

// EventJSON points at one span or line; Ref indexes spans or logs by Kind.
type EventJSON struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	Ref        int       `json:"ref"`
	Service    string    `json:"service"`
	Text       string    `json:"text"`
	DurationUS int64     `json:"duration_us,omitempty"`
	TraceID    string    `json:"trace_id,omitempty"`
	SpanID     string    `json:"span_id,omitempty"`
}

// TraceSpanJSON is a span as `reltui trace` prints it: within its trace,
// so without the trace id.
type TraceSpanJSON struct {
	SpanID       string            `json:"span_id"`
	ParentSpanID string            `json:"parent_span_id"`
	Service      string            `json:"service"`
	Operation    string            `json:"operation"`
	Start        time.Time         `json:"start"`
	DurationUS   int64             `json:"duration_us"`
	Error        bool              `json:"error"`
	Tags         map[string]string `json:"tags"`
}

// SpanJSON is a span of the request document: the fields `reltui trace`
// prints, after trace_id.
type SpanJSON struct {
	TraceID string `json:"trace_id"`
	TraceSpanJSON
}

// NewTraceSpanJSON converts s, passing its service, operation and tags
// through clean (sanitize.Line, or the identity where the JSON encoder's
// escaping is enough).
func NewTraceSpanJSON(s sources.Span, clean func(string) string) TraceSpanJSON {
	tags := make(map[string]string, len(s.Tags))
	for _, kv := range s.Tags {
		tags[clean(kv.Key)] = clean(kv.Value)
	}
	return TraceSpanJSON{SpanID: s.SpanID, ParentSpanID: s.ParentSpanID, Service: clean(s.Service), Operation: clean(s.Operation),
		Start: s.Start.UTC(), DurationUS: s.Duration.Microseconds(), Error: s.Error, Tags: tags}
}

// LogJSON is one log line.
type LogJSON struct {
	Time    time.Time `json:"time"`
	Service string    `json:"service"`
	Level   string    `json:"level"`
	Line    string    `json:"line"`
	TraceID string    `json:"trace_id"`
	SpanID  string    `json:"span_id"`
}

// TimelineJSON is one timeline row; Ref indexes spans or logs by Kind.
type TimelineJSON struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"`
	Service string    `json:"service"`
	Ref     int       `json:"ref"`
}

// Document converts the view. Logs are listed in time order, spans in
// start order; refs point into those lists.
func (v *View) Document() Document {
	d := Document{TraceIDs: nonNil(v.TraceIDs), Services: []string{}, Spans: []SpanJSON{}, Logs: []LogJSON{}, Timeline: []TimelineJSON{},
		Window: WindowJSON{From: v.Window.From.UTC(), To: v.Window.To.UTC()}, Changes: v.changesJSON(), ChangesElsewhere: v.ChangesElsewhere}
	if len(v.RequestIDs) > 0 {
		d.RequestID = v.RequestIDs[0]
	}
	j := v.Joined
	if j == nil {
		d.Summary.CriticalPathServices = []string{}
		return d
	}
	for _, s := range j.Services {
		d.Services = append(d.Services, sanitize.Line(s))
	}
	for _, s := range j.Spans {
		d.Spans = append(d.Spans, SpanJSON{TraceID: s.TraceID, TraceSpanJSON: NewTraceSpanJSON(s, sanitize.Line)})
	}
	// Logs in time order; docRef maps a log's index to its place in d.Logs.
	docRef := make([]int, len(j.Logs))
	for k, i := range j.LogOrder {
		l := &j.Logs[i]
		docRef[i] = k
		d.Logs = append(d.Logs, LogJSON{Time: l.Time.UTC(), Service: l.Service, Level: l.Level, Line: l.Line,
			TraceID: l.TraceID, SpanID: l.SpanID})
	}
	for _, it := range j.Timeline {
		ref := int(it.Ref)
		if it.Kind == ItemLog {
			ref = docRef[ref]
		}
		d.Timeline = append(d.Timeline, TimelineJSON{Time: it.Time().UTC(), Kind: it.Kind.String(),
			Service: sanitize.Line(j.Services[it.Svc]), Ref: ref})
	}
	s := v.Summary
	d.Summary = SummaryJSON{SpanCount: s.SpanCount, LogCount: s.LogCount, CriticalPathServices: nonNil(s.CriticalServices),
		FirstError: eventJSON(s.FirstError, docRef), SlowestSpan: eventJSON(s.SlowestSpan, docRef)}
	return d
}

func eventJSON(e *Event, docRef []int) *EventJSON {
	if e == nil {
		return nil
	}
	ref := e.Ref
	if e.Kind == ItemLog {
		ref = docRef[ref]
	}
	return &EventJSON{Time: e.Time.UTC(), Kind: e.Kind.String(), Ref: ref, Service: sanitize.Line(e.Service),
		Text: sanitize.Line(e.Text), DurationUS: e.Duration.Microseconds(), TraceID: e.TraceID, SpanID: e.SpanID}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
