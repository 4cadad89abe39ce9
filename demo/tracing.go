package demo

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/reltui/reltui/demo/shop"
)

// tracedServices are the services that emit spans, each with its own
// TracerProvider so Jaeger sees five processes, not one.
func tracedServices() []string {
	return []string{shop.Frontend, shop.Checkout, shop.Payments, shop.Inventory, shop.Orders}
}

// countingExporter records each export's outcome and then swallows the
// error: the batch processor would otherwise hand it to OTel's global
// handler, which logs every failure, while the workload's own warning is
// rate limited.
type countingExporter struct {
	sdktrace.SpanExporter
	count  *counters
	health *health
	now    func() time.Time
}

// ExportSpans never fails towards the batch processor; see the type comment.
func (c *countingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := c.SpanExporter.ExportSpans(ctx, spans)
	c.health.record(BackendOTLP, c.now(), err)
	if err != nil {
		c.count.spansFailed.Add(uint64(len(spans)))
		return nil
	}
	c.count.spansExported.Add(uint64(len(spans)))
	return nil
}

// tracing owns the per-service providers.
type tracing struct {
	providers []*sdktrace.TracerProvider
	tracers   map[string]trace.Tracer
}

// newTracing builds one provider per service exporting to the OTLP/HTTP
// endpoint at base (e.g. http://127.0.0.1:4318). With base empty, spans are
// still created, so logs and exemplars carry real ids, but go nowhere.
func newTracing(ctx context.Context, base, env string, count *counters, h *health, now func() time.Time) (*tracing, error) {
	t := &tracing{tracers: map[string]trace.Tracer{}}
	for _, svc := range tracedServices() {
		res := resource.NewSchemaless(
			attribute.String("service.name", svc),
			attribute.String("service.namespace", "shop"),
			attribute.String("service.version", "1.14.2"),
			attribute.String("deployment.environment.name", env),
			attribute.String("service.instance.id", svc+"-7c9f"),
		)
		opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res), sdktrace.WithSampler(sdktrace.AlwaysSample())}
		if base != "" {
			exp, err := otlptracehttp.New(ctx,
				otlptracehttp.WithEndpointURL(tracesURL(base)),
				otlptracehttp.WithTimeout(5*time.Second),
				// Short retries: a span batch older than a few seconds is
				// not worth blocking the queue for when Jaeger is down.
				otlptracehttp.WithRetry(otlptracehttp.RetryConfig{
					Enabled: true, InitialInterval: 500 * time.Millisecond, MaxInterval: 2 * time.Second, MaxElapsedTime: 5 * time.Second,
				}),
			)
			if err != nil {
				return nil, errors.Join(err, t.shutdown(ctx))
			}
			opts = append(opts, sdktrace.WithBatcher(&countingExporter{SpanExporter: exp, count: count, health: h, now: now},
				sdktrace.WithBatchTimeout(time.Second),
				sdktrace.WithMaxQueueSize(8192),
				sdktrace.WithMaxExportBatchSize(1024),
			))
		}
		tp := sdktrace.NewTracerProvider(opts...)
		t.providers = append(t.providers, tp)
		t.tracers[svc] = tp.Tracer("github.com/reltui/reltui/demo/" + svc)
	}
	return t, nil
}

// shutdown flushes every provider's queue.
func (t *tracing) shutdown(ctx context.Context) error {
	var errs []error
	for _, tp := range t.providers {
		errs = append(errs, tp.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// tracesURL accepts either the OTLP/HTTP base URL or the full traces
// endpoint, since both get copied out of collector docs.
func tracesURL(base string) string {
	base = strings.TrimRight(base, "/")
	if strings.HasSuffix(base, "/v1/traces") {
		return base
	}
	return base + "/v1/traces"
}
