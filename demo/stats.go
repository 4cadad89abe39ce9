package demo

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Backend names used in status and warnings.
const (
	// BackendLogs is the log backend, VictoriaLogs or Loki
	// (Config.LogsBackend); its errors name which.
	BackendLogs       = "logs"
	BackendPrometheus = "prometheus"
	BackendOTLP       = "otlp"
)

// warnEvery is how often a failing backend may say so on stderr; the dev
// stack restarts often, and a line per push would bury everything else.
const warnEvery = 30 * time.Second

// counters are the workload's running totals.
type counters struct {
	requests       atomic.Uint64
	requestErrors  atomic.Uint64
	logLines       atomic.Uint64
	logDropped     atomic.Uint64
	spansExported  atomic.Uint64
	spansFailed    atomic.Uint64
	metricPushes   atomic.Uint64
	samplesPushed  atomic.Uint64
	metricsDropped atomic.Uint64
	ordersProduced atomic.Uint64
	ordersConsumed atomic.Uint64
}

// Counters is the snapshot of totals served by GET /status.
type Counters struct {
	Requests       uint64 `json:"requests_sent"`
	RequestErrors  uint64 `json:"request_errors"`
	LogLinesPushed uint64 `json:"log_lines_pushed"`
	LogLinesDrop   uint64 `json:"log_lines_dropped"`
	SpansExported  uint64 `json:"spans_exported"`
	SpansFailed    uint64 `json:"spans_failed"`
	MetricPushes   uint64 `json:"metric_pushes"`
	SamplesPushed  uint64 `json:"samples_pushed"`
	MetricsDropped uint64 `json:"metric_pushes_dropped"`
	OrdersProduced uint64 `json:"orders_produced"`
	OrdersConsumed uint64 `json:"orders_consumed"`
}

func (c *counters) snapshot() Counters {
	return Counters{
		Requests:       c.requests.Load(),
		RequestErrors:  c.requestErrors.Load(),
		LogLinesPushed: c.logLines.Load(),
		LogLinesDrop:   c.logDropped.Load(),
		SpansExported:  c.spansExported.Load(),
		SpansFailed:    c.spansFailed.Load(),
		MetricPushes:   c.metricPushes.Load(),
		SamplesPushed:  c.samplesPushed.Load(),
		MetricsDropped: c.metricsDropped.Load(),
		OrdersProduced: c.ordersProduced.Load(),
		OrdersConsumed: c.ordersConsumed.Load(),
	}
}

// BackendStatus is the health of one backend as the workload sees it.
type BackendStatus struct {
	Enabled       bool      `json:"enabled"`
	LastSuccess   time.Time `json:"last_success,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
	Failures      uint64    `json:"failures"`
	lastWarn      time.Time
	suppressedErr uint64
}

// health tracks push outcomes per backend and rate-limits warnings.
type health struct {
	mu       sync.Mutex
	backends map[string]*BackendStatus
	out      io.Writer
}

func newHealth(out io.Writer, enabled map[string]bool) *health {
	h := &health{backends: map[string]*BackendStatus{}, out: out}
	for name, on := range enabled {
		h.backends[name] = &BackendStatus{Enabled: on}
	}
	return h
}

// record notes the result of one push and, at most every warnEvery per
// backend, prints a warning that also counts the failures it stayed
// quiet about.
func (h *health) record(backend string, now time.Time, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b, ok := h.backends[backend]
	if !ok {
		b = &BackendStatus{Enabled: true}
		h.backends[backend] = b
	}
	if err == nil {
		if !b.LastErrorAt.IsZero() && b.LastErrorAt.After(b.LastSuccess) && h.out != nil {
			fmt.Fprintf(h.out, "reltui-demo: %s: recovered\n", backend)
		}
		b.LastSuccess = now
		return
	}
	b.Failures++
	b.LastError = err.Error()
	b.LastErrorAt = now
	if !b.lastWarn.IsZero() && now.Sub(b.lastWarn) < warnEvery {
		b.suppressedErr++
		return
	}
	if h.out != nil {
		more := ""
		if b.suppressedErr > 0 {
			more = fmt.Sprintf(" (%d more failures since the last warning)", b.suppressedErr)
		}
		fmt.Fprintf(h.out, "reltui-demo: warning: %s: %v%s; still running\n", backend, err, more)
	}
	b.lastWarn = now
	b.suppressedErr = 0
}

func (h *health) snapshot() map[string]BackendStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]BackendStatus, len(h.backends))
	for k, v := range h.backends {
		out[k] = *v
	}
	return out
}
