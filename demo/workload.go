// Package demo is the workload behind reltui-demo: a simulated shop
// (frontend → checkout → payments and inventory, and an orders consumer on
// Kafka topic "orders") whose traces, logs and metrics go to a real
// VictoriaLogs (or Loki), Prometheus and Jaeger, with faults injected on a
// schedule or on demand.
//
// The requests are simulated rather than served, so a 2-core dev machine
// can run it beside the whole stack; the telemetry is what a real
// deployment would send, including W3C trace context crossing every
// service boundary.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/logpush"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/demo/queue"
	"github.com/reltui/reltui/demo/shop"
)

// Config is what `reltui-demo run` passes in.
type Config struct {
	// Backend base URLs. An empty one turns that signal off, which is
	// useful when only part of the stack is up.
	LogsURL       string
	PrometheusURL string
	OTLPURL       string
	// LogsBackend is what listens at LogsURL; empty means VictoriaLogs.
	// Both take the same push, with the same lines and fields.
	LogsBackend logpush.Backend
	// ControlAddr is a loopback host:port for the fault control server;
	// empty disables it.
	ControlAddr string
	// Rate is frontend requests per second.
	Rate float64
	// Env is the env label on every log stream and series.
	Env string
	// Seed makes traffic and the fault schedule reproducible.
	Seed uint64
	// Schedule turns the recurring faults on; FaultEvery is their period.
	Schedule   bool
	FaultEvery time.Duration

	MetricsInterval time.Duration
	LogsInterval    time.Duration
	// Stderr receives the rate-limited backend warnings.
	Stderr io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Defaults for the knobs the command line does not set.
const (
	DefaultRate            = 5.0
	DefaultMetricsInterval = 15 * time.Second
	DefaultLogsInterval    = time.Second

	logQueueLimit    = 50_000
	metricQueueLimit = 40 // ten minutes of 15 s pushes
	logBatch         = 2000
)

func (c *Config) fill() error {
	if c.Rate <= 0 {
		return errors.New("rate must be positive")
	}
	if c.Env == "" {
		return errors.New("env must not be empty")
	}
	b, err := logpush.ParseBackend(string(c.LogsBackend))
	if err != nil {
		return err
	}
	c.LogsBackend = b
	if c.MetricsInterval <= 0 {
		c.MetricsInterval = DefaultMetricsInterval
	}
	if c.LogsInterval <= 0 {
		c.LogsInterval = DefaultLogsInterval
	}
	if c.FaultEvery <= 0 {
		c.FaultEvery = 20 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	if c.ControlAddr != "" {
		if err := checkLoopback(c.ControlAddr); err != nil {
			return err
		}
	}
	return nil
}

// Workload is one running shop.
type Workload struct {
	cfg     Config
	started time.Time
	board   *fault.Board
	count   counters
	health  *health
	metrics *meter.Registry
	topic   *topic
	logs    *queue.Bounded[logpush.Entry]
	pending *queue.Bounded[[]promwrite.TimeSeries]
	tracing *tracing
	logSink *logpush.Client
	prom    *promwrite.Client

	requests *emitter
	consumer *consumer
	gauges   *saturation
	releases *releases
}

// New builds a workload without starting it.
func New(ctx context.Context, cfg Config) (*Workload, error) {
	if err := cfg.fill(); err != nil {
		return nil, fmt.Errorf("demo config: %w", err)
	}
	now := cfg.Now()
	w := &Workload{
		cfg:     cfg,
		started: now,
		metrics: meter.New(shop.Buckets(), promwrite.Label{Name: "env", Value: cfg.Env}),
		topic:   newTopic(shop.Partitions),
		logs:    queue.New[logpush.Entry](logQueueLimit),
		pending: queue.New[[]promwrite.TimeSeries](metricQueueLimit),
		health: newHealth(cfg.Stderr, map[string]bool{
			BackendLogs: cfg.LogsURL != "", BackendPrometheus: cfg.PrometheusURL != "", BackendOTLP: cfg.OTLPURL != "",
		}),
	}
	var sched *fault.Schedule
	if cfg.Schedule {
		s := fault.DefaultSchedule(now, cfg.Seed)
		s.Period = cfg.FaultEvery
		sched = &s
	}
	var err error
	if w.board, err = fault.NewBoard(sched); err != nil {
		return nil, err
	}
	w.releases = newReleases(sched)
	hc := &http.Client{Timeout: 10 * time.Second}
	if cfg.LogsURL != "" {
		if w.logSink, err = logpush.NewClient(cfg.LogsBackend, cfg.LogsURL, hc); err != nil {
			return nil, err
		}
	}
	if cfg.PrometheusURL != "" {
		if w.prom, err = promwrite.NewClient(cfg.PrometheusURL, hc); err != nil {
			return nil, err
		}
	}
	if w.tracing, err = newTracing(ctx, cfg.OTLPURL, cfg.Env, &w.count, w.health, cfg.Now); err != nil {
		return nil, fmt.Errorf("otlp exporter: %w", err)
	}
	// Every endpoint's counters exist from the start, at zero, so the first
	// error of a fault is an increase rate() can see.
	for _, ep := range shop.Endpoints() {
		for _, code := range ep.Codes {
			w.metrics.Add(shop.RequestsTotal, 0, "service", ep.Service, "route", ep.Route, "code", fmt.Sprint(code))
		}
	}
	addLog := func(e logpush.Entry) {
		if w.logSink != nil {
			w.logs.Push(e)
		}
	}
	// Separate rngs per goroutine, all derived from the seed.
	w.requests = newEmitter(cfg.Env, rand.New(rand.NewPCG(cfg.Seed, 1)), w.tracing.tracers, addLog, w.metrics, w.topic, &w.count)
	ce := newEmitter(cfg.Env, rand.New(rand.NewPCG(cfg.Seed, 2)), w.tracing.tracers, addLog, w.metrics, w.topic, &w.count)
	w.consumer = newConsumer(ce, w.board)
	w.gauges = &saturation{rng: rand.New(rand.NewPCG(cfg.Seed, 3))}
	return w, nil
}

// Board exposes the fault board, for the control server and tests.
func (w *Workload) Board() *fault.Board { return w.board }

func (w *Workload) active(now time.Time) func(fault.Kind) bool {
	act := w.board.Active(now)
	return func(k fault.Kind) bool {
		for _, a := range act {
			if a.Kind == k {
				return true
			}
		}
		return false
	}
}

// generate emits the requests that arrived during one tick ending at now.
func (w *Workload) generate(rng *rand.Rand, now time.Time, tick time.Duration) {
	cond := conditions(w.active(now))
	for range poisson(rng, w.cfg.Rate*tick.Seconds()) {
		q := shop.Sample(rng, cond)
		w.requests.request(now.Add(-jitter(rng, tick)), &q, newRequestID(rng))
	}
}

// Run emits telemetry until ctx is done, then flushes what is queued. It
// returns an error only if it could not start.
func (w *Workload) Run(ctx context.Context) error {
	var srv *http.Server
	if w.cfg.ControlAddr != "" {
		ln, err := net.Listen("tcp", w.cfg.ControlAddr)
		if err != nil {
			return fmt.Errorf("control server: %w", err)
		}
		srv = &http.Server{Handler: w.ControlHandler(), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
	}

	var wg sync.WaitGroup
	every := func(d time.Duration, f func(time.Time)) {
		wg.Go(func() {
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					f(w.cfg.Now())
				}
			}
		})
	}
	// Arrivals follow elapsed time, not tick count: a ticker drops ticks
	// when the machine is busy, and the rate must not sag with it.
	rng := w.requests.rng // generate runs only on its ticker goroutine
	last := w.cfg.Now()
	every(100*time.Millisecond, func(now time.Time) {
		if d := now.Sub(last); d > 0 {
			w.generate(rng, now, min(d, 10*time.Second))
		}
		last = now
	})
	every(250*time.Millisecond, w.consumer.step)
	if w.logSink != nil {
		every(w.cfg.LogsInterval, func(now time.Time) { w.flushLogs(ctx, now) })
	}
	if w.prom != nil {
		every(w.cfg.MetricsInterval, func(now time.Time) { w.pushMetrics(ctx, now) })
	}
	<-ctx.Done()
	wg.Wait()

	// Flush with a fresh deadline: the run context is already cancelled.
	fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if w.prom != nil {
		w.pushMetrics(fctx, w.cfg.Now())
	}
	if w.logSink != nil {
		w.flushLogs(fctx, w.cfg.Now())
	}
	if err := w.tracing.shutdown(fctx); err != nil {
		fmt.Fprintf(w.cfg.Stderr, "reltui-demo: flushing spans: %v\n", err)
	}
	if srv != nil {
		srv.Shutdown(fctx)
	}
	return nil
}

// flushLogs sends everything queued, in batches. A batch the backend may accept
// later goes back to the front of the queue; one it refused outright is
// dropped, since sending it again would only be refused again.
func (w *Workload) flushLogs(ctx context.Context, now time.Time) {
	for w.logs.Len() > 0 && ctx.Err() == nil {
		batch := w.logs.Take(logBatch)
		err := w.logSink.Push(ctx, batch)
		w.health.record(BackendLogs, now, err)
		if err == nil {
			w.count.logLines.Add(uint64(len(batch)))
			continue
		}
		var le *logpush.Error
		if errors.As(err, &le) && !le.Retryable() {
			w.count.logDropped.Add(uint64(len(batch)))
			continue
		}
		w.logs.Requeue(batch)
		return
	}
}

// pushMetrics takes a snapshot and sends it with any earlier ones still
// waiting, oldest first, because Prometheus refuses samples older than the
// newest it already has for a series.
func (w *Workload) pushMetrics(ctx context.Context, now time.Time) {
	w.gauges.update(w.metrics, w.active(now), w.topic.status(), w.cfg.Rate/DefaultRate)
	w.releases.update(w.metrics, now)
	w.pending.Push(w.metrics.Snapshot(now.UnixMilli()))
	for w.pending.Len() > 0 && ctx.Err() == nil {
		snap := w.pending.Take(1)
		err := w.prom.Push(ctx, snap[0])
		w.health.record(BackendPrometheus, now, err)
		if err == nil {
			w.count.metricPushes.Add(1)
			w.count.samplesPushed.Add(uint64(len(snap[0])))
			continue
		}
		var pe *promwrite.Error
		if errors.As(err, &pe) && !pe.Retryable() {
			w.count.metricsDropped.Add(1)
			continue
		}
		w.pending.Requeue(snap)
		return
	}
}
