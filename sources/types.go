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

// Span is one span of a trace.
type Span struct {
	TraceID      string
	SpanID       string
	ParentSpanID string
	Service      string
	Operation    string
	Start        time.Time
	Duration     time.Duration
	Tags         []KV
	Events       []SpanEvent
	Process      []KV
	Error        bool
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
