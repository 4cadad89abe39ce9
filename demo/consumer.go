package demo

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/shop"
)

// Consumer pacing. Capacity is three times the default produce rate, so
// normally lag stays near zero, and a three-minute stall at 5/s drains in
// about a minute and a half: long enough to see the lag curve come down.
const (
	consumerCapacity = 15.0 // messages per second
	stallReportEvery = 10 * time.Second
	stallEscalate    = 60 * time.Second
)

// consumer is the orders service: a Kafka consumer in group
// orders-consumer. It is driven by step so tests can move time by hand.
type consumer struct {
	e        *emitter
	faults   *fault.Board
	budget   float64
	last     time.Time
	lastWarn []time.Time
	// stalledSince is set while the stall fault holds the consumer.
	stalledSince time.Time
	resumed      bool
}

func newConsumer(e *emitter, faults *fault.Board) *consumer {
	return &consumer{e: e, faults: faults, lastWarn: make([]time.Time, len(e.topic.parts))}
}

// step processes what the consumer would have in the time since the last
// step, as of now.
func (c *consumer) step(now time.Time) {
	if c.last.IsZero() {
		c.last = now
	}
	dt := now.Sub(c.last).Seconds()
	c.last = now
	if c.faults.IsActive(fault.Stall, now) {
		if c.stalledSince.IsZero() {
			c.stalledSince = now
		}
		c.budget = 0
		c.reportStall(now)
		return
	}
	if !c.stalledSince.IsZero() {
		c.stalledSince = time.Time{}
		c.resumed = true
	}
	c.budget = math.Min(c.budget+dt*consumerCapacity, consumerCapacity)
	n := int(c.budget)
	if n == 0 {
		return
	}
	parts := len(c.e.topic.parts)
	var batches [][]message
	for p := range parts {
		msgs, _ := c.e.topic.fetch(p, n)
		batches = append(batches, msgs)
	}
	// Share the budget across partitions round-robin, like a fetch session.
	take := make([]int, parts)
	for left := n; left > 0; {
		moved := false
		for p := range parts {
			if left > 0 && take[p] < len(batches[p]) {
				take[p]++
				left--
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	done := 0
	for p := range parts {
		done += take[p]
	}
	c.budget -= float64(done)
	// Lay the processing out back to back, ending now.
	const each = 8 * time.Millisecond
	cursor := now.Add(-time.Duration(done) * each)
	for p := range parts {
		for _, m := range batches[p][:take[p]] {
			// Never before the record existed: a consumer span that starts
			// ahead of its producer span would be a lie in the trace view.
			if earliest := m.produced.Add(time.Millisecond); cursor.Before(earliest) {
				cursor = earliest
			}
			c.process(p, m, cursor, cursor.Add(each-time.Duration(c.e.rng.IntN(3000))*time.Microsecond))
			cursor = cursor.Add(each)
		}
		if take[p] > 0 {
			c.e.topic.commit(p, batches[p][take[p]-1].offset+1)
		}
	}
}

func (c *consumer) startSpan(m message, p int, start time.Time) (context.Context, trace.Span) {
	ctx := c.e.prop.Extract(context.Background(), propagation.MapCarrier(m.headers))
	return c.e.tracers[shop.Orders].Start(ctx, shop.Topic+" process",
		trace.WithSpanKind(trace.SpanKindConsumer), trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("messaging.system", "kafka"),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("messaging.destination.name", shop.Topic),
			attribute.String("messaging.consumer.group.name", shop.ConsumerGroup),
			attribute.String("messaging.destination.partition.id", strconv.Itoa(p)),
			attribute.Int64("messaging.kafka.offset", m.offset),
			attribute.String("messaging.kafka.message.key", m.orderID),
			attribute.String("request_id", m.headers[requestIDHeader]),
		))
}

func (c *consumer) process(p int, m message, start, end time.Time) {
	ctx, span := c.startSpan(m, p, start)
	log := c.e.logFor(shop.Orders, span.SpanContext(), m.headers[requestIDHeader])
	if c.resumed {
		c.resumed = false
		log(start, "info", "consumer resumed, offsets committing again", f("consumer_group", shop.ConsumerGroup),
			f("topic", shop.Topic), f("backlog", c.backlog()))
	}
	lagMS := end.Sub(m.produced).Milliseconds()
	log(start, "info", "order consumed", f("order_id", m.orderID), f("topic", shop.Topic), f("partition", p),
		f("offset", m.offset), f("consumer_group", shop.ConsumerGroup), f("lag_ms", lagMS))
	dbStart, dbEnd := start.Add(time.Millisecond), end.Add(-time.Millisecond)
	_, db := c.e.tracers[shop.Orders].Start(ctx, "INSERT orders.orders",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(dbStart),
		trace.WithAttributes(
			attribute.String("db.system.name", "postgresql"),
			attribute.String("db.operation.name", "INSERT"),
			attribute.String("db.collection.name", "orders"),
			attribute.String("server.address", "orders-db"),
		))
	db.End(trace.WithTimestamp(dbEnd))
	log(end, "debug", "order persisted", f("order_id", m.orderID), f("table", "orders"), f("duration_ms", ms(dbEnd.Sub(dbStart))))
	span.End(trace.WithTimestamp(end))
	c.e.count.ordersConsumed.Add(1)
}

// reportStall is what a stuck consumer prints: every few seconds each
// partition's head message fails to commit, and after a minute the group
// complains that it is making no progress.
func (c *consumer) reportStall(now time.Time) {
	for p := range c.e.topic.parts {
		if now.Sub(c.lastWarn[p]) < stallReportEvery {
			continue
		}
		msgs, _ := c.e.topic.fetch(p, 1)
		if len(msgs) == 0 {
			continue
		}
		c.lastWarn[p] = now
		m := msgs[0]
		const wait = 5 * time.Second
		start := now.Add(-wait)
		_, span := c.startSpan(m, p, start)
		reason := "offset commit failed: context deadline exceeded (waiting for orders-db connection, pool exhausted 10/10)"
		span.RecordError(errors.New(reason), trace.WithTimestamp(now))
		span.SetStatus(codes.Error, "offset commit failed")
		span.End(trace.WithTimestamp(now))
		log := c.e.logFor(shop.Orders, span.SpanContext(), m.headers[requestIDHeader])
		stuck := now.Sub(c.stalledSince)
		level, msg := "warn", "offset commit failed"
		if stuck >= stallEscalate {
			level, msg = "error", "consumer not making progress"
		}
		log(now, level, msg, f("order_id", m.orderID), f("consumer_group", shop.ConsumerGroup), f("topic", shop.Topic),
			f("partition", p), f("offset", m.offset), f("stalled_for_s", int(stuck.Seconds())), f("error", reason))
	}
}

func (c *consumer) backlog() int64 {
	var n int64
	for _, p := range c.e.topic.status() {
		n += p.Lag
	}
	return n
}
