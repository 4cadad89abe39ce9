package sources

import "time"

// LogEntry is one log line as read from a log backend.
type LogEntry struct {
	Time time.Time
	// Labels are the stream labels. Entries of one stream share the map, so
	// callers must treat it as read-only.
	Labels map[string]string
	Line   string
	// Metadata is Loki structured metadata (and parsed fields where the
	// backend returns them); nil when there is none.
	Metadata map[string]string
}

// Sample is one point of a time series.
type Sample struct {
	Time  time.Time
	Value float64
}

// Series is one labelled time series.
type Series struct {
	Labels  map[string]string
	Samples []Sample
}

// Exemplar links one observation of a series to the trace that produced it.
type Exemplar struct {
	SeriesLabels map[string]string
	Labels       map[string]string
	Value        float64
	Time         time.Time
	// TraceID is taken from the trace_id / traceID / trace-id exemplar label.
	TraceID string
}

// KV is an ordered key/value pair, used where order matters for display.
type KV struct {
	Key   string
	Value string
}

// SpanEvent is a timestamped event (Jaeger "log") inside a span.
type SpanEvent struct {
	Time   time.Time
	Fields []KV
}

// RefType is how a span relates to a span it references.
type RefType int

const (
	// ChildOf means the referenced span waits for this one: OpenTracing's
	// CHILD_OF, and what Jaeger makes of an OpenTelemetry parent.
	ChildOf RefType = iota
	// FollowsFrom means the referenced span does not wait for this one:
	// OpenTracing's FOLLOWS_FROM, and what Jaeger makes of an
	// OpenTelemetry link.
	FollowsFrom
)

// SpanRef is one reference from a span to another span, which may belong
// to another trace.
type SpanRef struct {
	TraceID string
	SpanID  string
	Type    RefType
}

// Span is one span of a trace.
type Span struct {
	TraceID string
	SpanID  string
	// ParentSpanID is the span chosen as parent among References (a
	// CHILD_OF in the same trace first, else a FOLLOWS_FROM), "" for a root.
	ParentSpanID string
	Service      string
	Operation    string
	Start        time.Time
	Duration     time.Duration
	Tags         []KV
	Events       []SpanEvent
	Process      []KV
	Error        bool
	// Kind is the span kind from the span.kind tag in lower case
	// ("server", "client", "producer", "consumer", "internal"), or "" when
	// the span has none. The tag itself stays in Tags.
	Kind string
	// References are all of the span's references in the backend's order,
	// the parent's among them. A source that knows only the parent may
	// leave them empty; ParentSpanID is then a ChildOf reference.
	References []SpanRef
}

// End is the moment the span finished.
func (s Span) End() time.Time { return s.Start.Add(s.Duration) }

// Tag returns the value of the first tag named key.
func (s Span) Tag(key string) (string, bool) {
	for _, kv := range s.Tags {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Trace is a set of spans sharing one trace id.
type Trace struct {
	TraceID string
	Spans   []Span
	// Warnings are non-fatal problems, e.g. truncation past the span limit.
	Warnings []string
}

// TraceSummary is one row of a trace search result.
type TraceSummary struct {
	TraceID    string
	RootSvc    string
	RootOp     string
	Start      time.Time
	Duration   time.Duration
	SpanCount  int
	ErrorCount int
	Services   []string
}

// Alert is a firing or pending alert from Prometheus or Alertmanager.
type Alert struct {
	Name        string
	State       string
	Labels      map[string]string
	Annotations map[string]string
	ActiveAt    time.Time
	Value       string
	Fingerprint string
	// Source is "prometheus" or "alertmanager".
	Source string
}
