package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/reltui/reltui/demo/logpush"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/demo/shop"
)

// requestIDHeader carries the request id between services, next to
// traceparent, as an edge proxy would add it.
const requestIDHeader = "X-Request-Id"

// emitter turns sampled requests into the telemetry the services would
// have produced. Each service is a function that receives only the headers
// its caller sent, so trace context really crosses every boundary through
// W3C traceparent, never through a shared Go context.
//
// An emitter owns its rng and is used by one goroutine; its sinks are safe
// for concurrent use.
type emitter struct {
	env     string
	rng     *rand.Rand
	tracers map[string]trace.Tracer
	logs    func(logpush.Entry)
	metrics *meter.Registry
	topic   *topic
	prop    propagation.TextMapPropagator
	count   *counters
	// format says how each service prints its logs.
	format map[string]lineFormat
}

func newEmitter(env string, rng *rand.Rand, tracers map[string]trace.Tracer, logs func(logpush.Entry),
	metrics *meter.Registry, tp *topic, count *counters) *emitter {
	return &emitter{
		env: env, rng: rng, tracers: tracers, logs: logs, metrics: metrics, topic: tp, count: count,
		prop: propagation.TraceContext{},
		format: map[string]lineFormat{
			shop.Frontend:  formatJSON,
			shop.Checkout:  formatJSON,
			shop.Orders:    formatJSON,
			shop.Payments:  formatLogfmt,
			shop.Inventory: formatLogfmt,
		},
	}
}

// newRequestID returns an id shaped like an edge proxy's, deliberately
// unrelated to the trace id so correlation has to go through the logs.
func newRequestID(r *rand.Rand) string {
	return fmt.Sprintf("req-%012x", r.Uint64()&0xffffffffffff)
}

// logFor returns a function that writes log lines for one service while it
// handles one request inside span sc.
func (e *emitter) logFor(service string, sc trace.SpanContext, reqID string) func(time.Time, string, string, ...field) {
	return func(ts time.Time, level, msg string, fields ...field) {
		all := make([]field, 0, len(fields)+4)
		if e.format[service] == formatJSON {
			all = append(all, f("service", service))
		}
		all = append(all, fields...)
		all = append(all, f("request_id", reqID))
		entry := logpush.Entry{
			Labels: map[string]string{"service": service, "level": level, "env": e.env},
			Time:   ts,
		}
		// inventory's logger predates its tracing: the ids ride along as
		// structured metadata (fields in VictoriaLogs), never in the
		// text, so the console must look beyond the line.
		if service == shop.Inventory {
			entry.Metadata = map[string]string{"trace_id": sc.TraceID().String(), "span_id": sc.SpanID().String()}
		} else {
			all = append(all, f("trace_id", sc.TraceID().String()), f("span_id", sc.SpanID().String()))
		}
		entry.Line = formatLine(e.format[service], ts, level, msg, all)
		e.logs(entry)
	}
}

func httpAttrs(ep shop.Endpoint) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String("http.request.method", ep.Method),
		attribute.String("http.route", ep.Route),
		attribute.String("url.path", ep.Route),
	}
}

// serve opens the server span of service for a call whose headers are hdr.
func (e *emitter) serve(service string, hdr http.Header, start time.Time, extra ...attribute.KeyValue) (context.Context, trace.Span, shop.Endpoint, string) {
	ep, _ := shop.EndpointOf(service)
	ctx := e.prop.Extract(context.Background(), propagation.HeaderCarrier(hdr))
	reqID := hdr.Get(requestIDHeader)
	attrs := append(httpAttrs(ep), attribute.String("request_id", reqID))
	ctx, span := e.tracers[service].Start(ctx, ep.Method+" "+ep.Route,
		trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(start),
		trace.WithAttributes(append(attrs, extra...)...))
	return ctx, span, ep, reqID
}

// finish ends a server span and records what a metrics middleware would.
func (e *emitter) finish(span trace.Span, ep shop.Endpoint, s shop.Span, end time.Time) {
	span.SetAttributes(attribute.Int("http.response.status_code", s.Status), attribute.Int("http.status_code", s.Status))
	if s.Status >= 500 {
		err := errors.New(s.Failure)
		span.RecordError(err, trace.WithTimestamp(end), trace.WithAttributes(attribute.String("exception.type", "HTTPError")))
		span.SetStatus(codes.Error, s.Failure)
	}
	span.End(trace.WithTimestamp(end))
	sc := span.SpanContext()
	code := strconv.Itoa(s.Status)
	e.metrics.Add(shop.RequestsTotal, 1, "service", ep.Service, "route", ep.Route, "code", code)
	e.metrics.Observe(shop.DurationSeconds, s.Duration().Seconds(), end.UnixMilli(),
		[]promwrite.Label{{Name: "trace_id", Value: sc.TraceID().String()}, {Name: "span_id", Value: sc.SpanID().String()}},
		"service", ep.Service, "route", ep.Route)
}

// call is an outgoing HTTP call: a client span around the callee's server
// span, with traceparent injected into the headers the callee receives.
func (e *emitter) call(ctx context.Context, from, to string, base time.Time, callee shop.Span, reqID string, handle func(http.Header)) {
	ep, _ := shop.EndpointOf(to)
	start := base.Add(callee.Start - 300*time.Microsecond)
	end := base.Add(callee.End + 300*time.Microsecond)
	ctx, span := e.tracers[from].Start(ctx, ep.Method+" "+ep.Route,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("http.request.method", ep.Method),
			attribute.String("server.address", to),
			attribute.Int("server.port", 8080),
			attribute.String("url.full", "http://"+to+":8080"+ep.Route),
			attribute.String("peer.service", to),
		))
	hdr := http.Header{}
	e.prop.Inject(ctx, propagation.HeaderCarrier(hdr))
	hdr.Set(requestIDHeader, reqID)
	handle(hdr)
	span.SetAttributes(attribute.Int("http.response.status_code", callee.Status), attribute.Int("http.status_code", callee.Status))
	if callee.Status >= 500 {
		span.SetStatus(codes.Error, fmt.Sprintf("%s answered %d", to, callee.Status))
	}
	span.End(trace.WithTimestamp(end))
}

// request emits one whole request that finished at end.
func (e *emitter) request(end time.Time, q *shop.Request, reqID string) {
	base := end.Add(-q.Frontend.End)
	e.count.requests.Add(1)
	if q.Frontend.Status != 200 {
		e.count.requestErrors.Add(1)
	}
	// The frontend is the edge: it has no caller, only the request id the
	// load balancer stamped.
	hdr := http.Header{}
	hdr.Set(requestIDHeader, reqID)
	e.frontend(hdr, base, q)
}

func (e *emitter) frontend(hdr http.Header, base time.Time, q *shop.Request) {
	start, end := base.Add(q.Frontend.Start), base.Add(q.Frontend.End)
	userID := fmt.Sprintf("u-%05d", e.rng.IntN(40000))
	clientIP := fmt.Sprintf("10.%d.%d.%d", 20+e.rng.IntN(4), e.rng.IntN(256), 1+e.rng.IntN(254))
	ctx, span, ep, reqID := e.serve(shop.Frontend, hdr, start,
		attribute.String("user.id", userID), attribute.String("client.address", clientIP))
	log := e.logFor(shop.Frontend, span.SpanContext(), reqID)
	log(start, "debug", "incoming request", f("method", ep.Method), f("route", ep.Route), f("user_id", userID), f("client_ip", clientIP))

	e.call(ctx, shop.Frontend, shop.Checkout, base, q.Checkout, reqID, func(h http.Header) { e.checkout(h, base, q) })

	d := ms(q.Frontend.Duration())
	switch {
	case q.Frontend.Status >= 500:
		log(end, "error", "request failed", f("method", ep.Method), f("route", ep.Route), f("status", q.Frontend.Status),
			f("duration_ms", d), f("error", q.Frontend.Failure), f("user_id", userID))
	case q.Frontend.Duration() > time.Second:
		log(end, "warn", "slow request", f("method", ep.Method), f("route", ep.Route), f("status", q.Frontend.Status),
			f("duration_ms", d), f("threshold_ms", 1000), f("user_id", userID))
	default:
		log(end, "info", "request completed", f("method", ep.Method), f("route", ep.Route), f("status", q.Frontend.Status),
			f("duration_ms", d), f("user_id", userID))
	}
	e.finish(span, ep, q.Frontend, end)
}

func (e *emitter) checkout(hdr http.Header, base time.Time, q *shop.Request) {
	start, end := base.Add(q.Checkout.Start), base.Add(q.Checkout.End)
	orderID := fmt.Sprintf("ord-%010x", e.rng.Uint64()&0xffffffffff)
	ctx, span, ep, reqID := e.serve(shop.Checkout, hdr, start, attribute.String("order.id", orderID))
	log := e.logFor(shop.Checkout, span.SpanContext(), reqID)
	log(start.Add(q.Inventory.Start-q.Checkout.Start-time.Millisecond), "debug", "cart loaded",
		f("order_id", orderID), f("cart_items", q.Items), f("cart_value_cents", q.AmountCents))

	e.call(ctx, shop.Checkout, shop.Inventory, base, q.Inventory, reqID, func(h http.Header) { e.inventory(h, base, q) })
	for i := range q.NumPayments {
		a := q.Payments[i]
		if i > 0 {
			prev := q.Payments[i-1]
			at := base.Add(prev.End + time.Millisecond)
			log(at, "warn", "payment attempt failed, retrying", f("order_id", orderID), f("attempt", i+1),
				f("status", prev.Status), f("error", prev.Failure))
			span.AddEvent("retry", trace.WithTimestamp(at), trace.WithAttributes(
				attribute.Int("retry.attempt", i+1), attribute.String("retry.reason", prev.Failure)))
		}
		e.call(ctx, shop.Checkout, shop.Payments, base, a.Span, reqID, func(h http.Header) { e.payments(h, base, q, i, orderID) })
	}
	if q.Published {
		e.publish(ctx, base, q, orderID, reqID, log)
	}
	if q.Checkout.Status != 200 {
		upstream := shop.Payments
		if q.Inventory.Status != 200 {
			upstream = shop.Inventory
		} else if q.NumPayments > 0 && q.Payments[q.NumPayments-1].Status == 200 {
			upstream = "orders-db"
		}
		log(end, "error", "checkout failed", f("order_id", orderID), f("status", q.Checkout.Status),
			f("upstream", upstream), f("error", q.Checkout.Failure))
		if q.Inventory.Status == 200 {
			log(end, "info", "inventory reservation released", f("order_id", orderID), f("sku", sku(q.SKU)))
		}
	}
	e.finish(span, ep, q.Checkout, end)
}

// publish is checkout's produce call; traceparent goes into the record
// headers so the consumer can continue the trace minutes later.
func (e *emitter) publish(ctx context.Context, base time.Time, q *shop.Request, orderID, reqID string, log func(time.Time, string, string, ...field)) {
	start, end := base.Add(q.Publish.Start), base.Add(q.Publish.End)
	ctx, span := e.tracers[shop.Checkout].Start(ctx, shop.Topic+" publish",
		trace.WithSpanKind(trace.SpanKindProducer), trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("messaging.system", "kafka"),
			attribute.String("messaging.operation.type", "send"),
			attribute.String("messaging.destination.name", shop.Topic),
			attribute.String("messaging.kafka.message.key", orderID),
		))
	headers := map[string]string{}
	e.prop.Inject(ctx, propagation.MapCarrier(headers))
	headers[requestIDHeader] = reqID
	part, off := e.topic.produce(orderID, headers, end)
	e.count.ordersProduced.Add(1)
	span.SetAttributes(attribute.String("messaging.destination.partition.id", strconv.Itoa(part)),
		attribute.Int64("messaging.kafka.offset", off))
	span.End(trace.WithTimestamp(end))
	log(end, "info", "order placed", f("order_id", orderID), f("amount_cents", q.AmountCents), f("items", q.Items),
		f("topic", shop.Topic), f("partition", part), f("offset", off))
}

func sku(n int) string { return "SKU-" + strconv.Itoa(n) }

func (e *emitter) inventory(hdr http.Header, base time.Time, q *shop.Request) {
	s := q.Inventory
	start, end := base.Add(s.Start), base.Add(s.End)
	ctx, span, ep, reqID := e.serve(shop.Inventory, hdr, start, attribute.String("inventory.sku", sku(q.SKU)))
	log := e.logFor(shop.Inventory, span.SpanContext(), reqID)
	warehouse := []string{"ams-1", "fra-2", "dub-1"}[q.SKU%3]
	if e.rng.IntN(4) == 0 {
		log(start.Add(200*time.Microsecond), "debug", "stock cache miss", f("sku", sku(q.SKU)), f("warehouse", warehouse))
	} else {
		log(start.Add(200*time.Microsecond), "debug", "stock cache hit", f("sku", sku(q.SKU)))
	}
	// The stock update is most of the handler's time.
	dbStart, dbEnd := start.Add(s.Duration()/10), end.Add(-s.Duration()/10)
	_, db := e.tracers[shop.Inventory].Start(ctx, "UPDATE inventory.stock",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(dbStart),
		trace.WithAttributes(
			attribute.String("db.system.name", "postgresql"),
			attribute.String("db.operation.name", "UPDATE"),
			attribute.String("db.collection.name", "stock"),
			attribute.String("server.address", "inventory-db"),
		))
	if s.Status != 200 {
		db.RecordError(errors.New(s.Failure), trace.WithTimestamp(dbEnd))
		db.SetStatus(codes.Error, s.Failure)
	}
	db.End(trace.WithTimestamp(dbEnd))

	remaining := e.rng.IntN(400)
	switch {
	case s.Status != 200:
		log(end, "error", "reservation failed", f("sku", sku(q.SKU)), f("qty", q.Items), f("error", s.Failure), f("retryable", true))
	default:
		log(end, "info", "stock reserved", f("sku", sku(q.SKU)), f("qty", q.Items), f("warehouse", warehouse), f("remaining", remaining))
		if remaining < 12 {
			log(end, "warn", "low stock", f("sku", sku(q.SKU)), f("remaining", remaining), f("reorder_threshold", 12))
		}
	}
	e.finish(span, ep, s, end)
}

func (e *emitter) payments(hdr http.Header, base time.Time, q *shop.Request, i int, orderID string) {
	a := q.Payments[i]
	start, end := base.Add(a.Start), base.Add(a.End)
	ctx, span, ep, reqID := e.serve(shop.Payments, hdr, start,
		attribute.String("order.id", orderID), attribute.Int("payment.attempt", i+1))
	log := e.logFor(shop.Payments, span.SpanContext(), reqID)
	brand := []string{"visa", "mastercard", "amex"}[e.rng.IntN(3)]
	log(start, "debug", "charge request", f("order_id", orderID), f("amount_cents", q.AmountCents), f("currency", "EUR"),
		f("card_brand", brand), f("attempt", i+1))

	gwStart, gwEnd := base.Add(a.Gateway.Start), base.Add(a.Gateway.End)
	_, gw := e.tracers[shop.Payments].Start(ctx, "POST /v2/authorize",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(gwStart),
		trace.WithAttributes(
			attribute.String("http.request.method", "POST"),
			attribute.String("server.address", "api.acme-pay.example"),
			attribute.String("peer.service", "acme-pay"),
			attribute.String("url.full", "https://api.acme-pay.example/v2/authorize"),
		))
	gwMS := ms(a.Gateway.Duration())
	if a.Gateway.Status == 504 {
		gw.AddEvent("timeout", trace.WithTimestamp(gwEnd), trace.WithAttributes(attribute.Int64("timeout_ms", shop.GatewayTimeout.Milliseconds())))
	} else {
		gw.SetAttributes(attribute.Int("http.response.status_code", a.Gateway.Status))
	}
	if a.Gateway.Status != 200 {
		gw.RecordError(errors.New(a.Failure), trace.WithTimestamp(gwEnd))
		gw.SetStatus(codes.Error, a.Failure)
	}
	gw.End(trace.WithTimestamp(gwEnd))

	if a.Slow && a.Gateway.Status != 504 {
		log(gwEnd, "warn", "payment gateway slow", f("order_id", orderID), f("gateway", "acme-pay"), f("gateway_ms", gwMS), f("slo_ms", 300))
	}
	switch {
	case a.Gateway.Status == 504:
		log(end, "error", "payment gateway timeout", f("order_id", orderID), f("gateway", "acme-pay"), f("gateway_ms", gwMS),
			f("timeout_ms", shop.GatewayTimeout.Milliseconds()), f("status", a.Status))
	case a.Status == 503:
		log(end, "error", "payment gateway unavailable", f("order_id", orderID), f("gateway", "acme-pay"),
			f("gateway_status", a.Gateway.Status), f("status", a.Status))
	case a.Status != 200:
		log(end, "error", "charge failed", f("order_id", orderID), f("gateway", "acme-pay"), f("gateway_status", a.Gateway.Status),
			f("error", a.Failure), f("status", a.Status))
	default:
		log(end, "info", "charge authorized", f("order_id", orderID), f("amount_cents", q.AmountCents), f("currency", "EUR"),
			f("auth_code", fmt.Sprintf("A%06d", e.rng.IntN(1_000_000))), f("gateway_ms", gwMS))
	}
	e.finish(span, ep, a.Span, end)
}
