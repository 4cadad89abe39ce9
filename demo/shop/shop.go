// Package shop is the model of the simulated online shop: which services
// exist, what each one answers, how long it takes and how often it fails.
//
// The live workload and the 30-day backfill both draw from this one model,
// so a label value or a latency shape cannot drift between the history and
// the present; an SLO window that spans both would otherwise split in two.
package shop

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Service names, exactly as they appear in the service label, the log
// stream label and the OTel resource.
const (
	Frontend  = "frontend"
	Checkout  = "checkout"
	Payments  = "payments"
	Inventory = "inventory"
	Orders    = "orders"
)

// Kafka names, spelled the way kafka_exporter labels them.
const (
	Topic         = "orders"
	ConsumerGroup = "orders-consumer"
	Partitions    = 3
)

// Metric names shared by the remote-write workload and the backfill.
const (
	RequestsTotal   = "http_requests_total"
	DurationSeconds = "http_request_duration_seconds"
)

// Endpoint is the one route a service serves. One route per service keeps
// the backfill small; the services are the interesting dimension.
type Endpoint struct {
	Service string
	Method  string
	Route   string
	// Codes lists every status the endpoint can answer, so counters can be
	// created at zero before the first failure, as client libraries do.
	Codes []int
}

// Endpoints returns the HTTP surface of the shop, caller before callee.
func Endpoints() []Endpoint {
	return []Endpoint{
		{Service: Frontend, Method: "POST", Route: "/api/checkout", Codes: []int{200, 500, 503}},
		{Service: Checkout, Method: "POST", Route: "/checkout", Codes: []int{200, 500, 503}},
		{Service: Payments, Method: "POST", Route: "/v1/charge", Codes: []int{200, 500, 503}},
		{Service: Inventory, Method: "POST", Route: "/v1/reserve", Codes: []int{200, 500}},
	}
}

// EndpointOf returns the endpoint a service serves; ok is false for the
// orders consumer, which serves no HTTP.
func EndpointOf(service string) (Endpoint, bool) {
	for _, e := range Endpoints() {
		if e.Service == service {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Buckets returns the histogram upper bounds in seconds, without +Inf. They
// bracket the normal p99 (0.1–0.25 s) and the injected gateway stalls (1–2.5 s).
func Buckets() []float64 {
	return []float64{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}
}

// FormatLe spells a bucket bound the way client_golang does, so both the
// backfill and the live series carry byte-identical le values.
func FormatLe(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Conditions are the failure modes in force while a request runs. The zero
// value is a healthy shop.
type Conditions struct {
	// PaymentsSlow is the share of payment attempts that hit a stalled
	// gateway and wait an extra 0.8–2 s.
	PaymentsSlow float64
	// PaymentsFail is the extra share of payment attempts that answer 5xx.
	PaymentsFail float64
	// InventoryFail is the extra share of reservations that answer 500.
	InventoryFail float64
}

// Background failure rates. They are deliberately low: with them alone a
// 99.9% SLO spends roughly 30–45% of its 30-day budget, which leaves room
// for the historic incidents and for live faults to be seen burning it.
const (
	basePaymentsFail  = 0.00025
	basePayments503   = 0.00005
	baseInventoryFail = 0.00008
	baseCheckoutFail  = 0.00004
	baseFrontendFail  = 0.00003
)

// GatewayTimeout is where payments gives up on the card gateway and answers
// 503; checkout retries such an attempt once.
const GatewayTimeout = 2 * time.Second

// Span is one server-side hop of a request, in offsets from the moment the
// frontend received it.
type Span struct {
	Start, End time.Duration
	Status     int
	// Failure is a short reason when Status is not 200.
	Failure string
}

// Duration is how long the hop took as seen by its own server.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// Attempt is one call from checkout to payments.
type Attempt struct {
	Span
	// Gateway is the call from payments to the external card gateway.
	Gateway Span
	// Slow is set when the attempt ran into an injected gateway stall.
	Slow bool
}

// Request is one sampled checkout, flat and allocation-free so the backfill
// can draw millions of them.
type Request struct {
	Frontend  Span
	Checkout  Span
	Inventory Span
	// Payments holds the attempts made; NumPayments says how many are used.
	// Zero when the inventory reservation failed first.
	Payments    [2]Attempt
	NumPayments int
	// Publish is the produce call to the orders topic; only set when the
	// order went through.
	Publish   Span
	Published bool

	Items       int
	AmountCents int
	SKU         int
}

// lognormal returns a duration whose median is med and whose spread is sigma
// in log space; real service latencies have this long right tail.
func lognormal(r *rand.Rand, med time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(med) * math.Exp(sigma*r.NormFloat64()))
}

func uniform(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Float64()*float64(hi-lo))
}

func net(r *rand.Rand) time.Duration {
	return uniform(r, 300*time.Microsecond, 1500*time.Microsecond)
}

// Sample draws one request under c. All randomness comes from r, so a seed
// reproduces a whole run.
func Sample(r *rand.Rand, c Conditions) Request {
	var q Request
	q.Items = 1 + r.IntN(4)
	q.SKU = 1000 + r.IntN(240)
	q.AmountCents = q.Items * (499 + 100*r.IntN(60))

	q.Frontend.Start = 0
	t := uniform(r, 2*time.Millisecond, 6*time.Millisecond) // session, auth
	q.Checkout.Start = t + net(r)
	t = q.Checkout.Start + lognormal(r, 4*time.Millisecond, 0.4) // cart load

	// Inventory reservation.
	q.Inventory.Start = t + net(r)
	q.Inventory.End = q.Inventory.Start + lognormal(r, 8*time.Millisecond, 0.5)
	q.Inventory.Status = 200
	if r.Float64() < baseInventoryFail+c.InventoryFail {
		q.Inventory.Status = 500
		q.Inventory.Failure = "deadlock detected while reserving stock"
	}
	t = q.Inventory.End + net(r)

	q.Checkout.Status = 200
	if q.Inventory.Status != 200 {
		q.Checkout.Status = 500
		q.Checkout.Failure = "inventory reservation failed"
	} else {
		t = q.samplePayments(r, c, t)
	}
	if q.Checkout.Status == 200 && r.Float64() < baseCheckoutFail {
		q.Checkout.Status = 500
		q.Checkout.Failure = "order store write failed"
	}
	if q.Checkout.Status == 200 {
		q.Publish.Start = t
		q.Publish.End = t + lognormal(r, 2*time.Millisecond, 0.3)
		q.Publish.Status = 200
		q.Published = true
		t = q.Publish.End
	}
	q.Checkout.End = t + uniform(r, 500*time.Microsecond, 2*time.Millisecond)

	t = q.Checkout.End + net(r)
	q.Frontend.Status = q.Checkout.Status
	q.Frontend.Failure = q.Checkout.Failure
	if q.Frontend.Status == 200 && r.Float64() < baseFrontendFail {
		q.Frontend.Status = 500
		q.Frontend.Failure = "template render failed"
	}
	q.Frontend.End = t + uniform(r, time.Millisecond, 3*time.Millisecond)
	return q
}

// samplePayments runs up to two charge attempts starting at t and returns
// when checkout is done with payments. Only a 503 is retried, because a 500
// may already have charged the card.
func (q *Request) samplePayments(r *rand.Rand, c Conditions, t time.Duration) time.Duration {
	for i := range q.Payments {
		a := &q.Payments[i]
		q.NumPayments = i + 1
		a.Start = t + net(r)
		a.Gateway.Start = a.Start + uniform(r, time.Millisecond, 3*time.Millisecond)
		gw := lognormal(r, 55*time.Millisecond, 0.45)
		if r.Float64() < c.PaymentsSlow {
			a.Slow = true
			gw += uniform(r, 800*time.Millisecond, 2000*time.Millisecond)
		}
		a.Status, a.Gateway.Status = 200, 200
		switch u := r.Float64(); {
		case gw > GatewayTimeout:
			gw = GatewayTimeout
			a.Status, a.Gateway.Status = 503, 504
			a.Failure = "payment gateway timeout"
		case u < basePaymentsFail+c.PaymentsFail*2/3:
			a.Status, a.Gateway.Status = 500, 502
			a.Failure = "payment gateway returned 502"
		case u < basePaymentsFail+basePayments503+c.PaymentsFail:
			a.Status, a.Gateway.Status = 503, 503
			a.Failure = "payment gateway unavailable"
		}
		a.Gateway.Failure = a.Failure
		a.Gateway.End = a.Gateway.Start + gw
		a.End = a.Gateway.End + uniform(r, time.Millisecond, 4*time.Millisecond)
		t = a.End + net(r)
		if a.Status != 503 || i == len(q.Payments)-1 {
			break
		}
		t += uniform(r, 40*time.Millisecond, 60*time.Millisecond) // retry backoff
	}
	last := q.Payments[q.NumPayments-1]
	if last.Status != 200 {
		q.Checkout.Status = last.Status
		q.Checkout.Failure = "payment failed: " + last.Failure
	}
	return t
}
