// Package backfill writes weeks of SLI history for the simulated shop as an
// OpenMetrics file that `promtool tsdb create-blocks-from openmetrics` turns
// into TSDB blocks. Without it an SLO over 30 days would be judged on the
// few hours the live workload has been running.
package backfill

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/demo/shop"
)

// Config says which window to fill and how busy the shop was.
type Config struct {
	// End is the timestamp of the last sample. Leave a few hours before the
	// live head block so the imported blocks do not overlap it.
	End time.Time
	// Span is how far back from End the history reaches.
	Span time.Duration
	// Step is the spacing of samples, like a scrape interval.
	Step time.Duration
	// Rate is the mean number of frontend requests per second.
	Rate float64
	// Env is the env label carried by every series.
	Env string
	// Seed makes the traffic and the incidents reproducible.
	Seed uint64
	// HistogramServices names the services that get latency histograms.
	// Counters are written for every service; histograms are ten series each,
	// so they are what makes the file large.
	HistogramServices []string
}

// Incident is one stretch of history in which something went wrong; the
// caller prints them so a demo can point at "what happened on the 12th".
type Incident struct {
	Start, End time.Time
	Summary    string
	Conditions shop.Conditions
}

// Result describes what was written.
type Result struct {
	Series    int
	Samples   int
	Bytes     int64
	Incidents []Incident
	// ErrorRatio is the share of non-200 answers per service over the whole
	// window, which is what a 30-day availability SLO will see.
	ErrorRatio map[string]float64
}

func (c Config) validate() error {
	switch {
	case c.Step <= 0:
		return errors.New("step must be positive")
	case c.Span < c.Step:
		return errors.New("span must cover at least one step")
	case c.Rate <= 0:
		return errors.New("rate must be positive")
	case c.Env == "":
		return errors.New("env must not be empty")
	case c.End.IsZero():
		return errors.New("end time is required")
	}
	for _, s := range c.HistogramServices {
		if _, ok := shop.EndpointOf(s); !ok {
			return fmt.Errorf("no HTTP service %q for histograms", s)
		}
	}
	return nil
}

// Incidents places up to three outages in the window, one per third and
// away from its edges, so each is visible on its own in a 30-day chart.
func Incidents(c Config) []Incident {
	r := rand.New(rand.NewPCG(c.Seed, 0x1c1de17))
	start := c.End.Add(-c.Span)
	if c.Span < 6*24*time.Hour {
		return nil
	}
	kinds := []Incident{
		{Summary: "payments: card gateway returning 5xx", Conditions: shop.Conditions{PaymentsFail: 0.025 + 0.02*r.Float64()}},
		{Summary: "inventory: stock database deadlocks", Conditions: shop.Conditions{InventoryFail: 0.02 + 0.02*r.Float64()}},
		{Summary: "payments: gateway latency with timeouts", Conditions: shop.Conditions{PaymentsSlow: 0.3, PaymentsFail: 0.02}},
	}
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	third := c.Span / 3
	for i := range kinds {
		dur := 90*time.Minute + time.Duration(r.Float64()*float64(2*time.Hour))
		lo := start.Add(time.Duration(i)*third + 12*time.Hour)
		room := third - 24*time.Hour - dur
		at := lo.Add(time.Duration(r.Float64() * float64(room))).Truncate(time.Minute)
		kinds[i].Start, kinds[i].End = at, at.Add(dur)
	}
	return kinds
}

// conditionsAt ramps an incident in and out over ten minutes; real outages
// rarely switch on in one scrape, and a step would look synthetic.
func conditionsAt(incs []Incident, t time.Time) shop.Conditions {
	const ramp = 10 * time.Minute
	var c shop.Conditions
	for _, in := range incs {
		if t.Before(in.Start) || !t.Before(in.End) {
			continue
		}
		k := math.Min(1, math.Min(float64(t.Sub(in.Start))/float64(ramp), float64(in.End.Sub(t))/float64(ramp)))
		k = math.Max(k, 0.1)
		c.PaymentsFail += k * in.Conditions.PaymentsFail
		c.PaymentsSlow += k * in.Conditions.PaymentsSlow
		c.InventoryFail += k * in.Conditions.InventoryFail
	}
	return c
}

// load is the traffic multiplier at t: a daily curve peaking mid-afternoon
// UTC and a quieter weekend, as a small shop's traffic would have.
func load(t time.Time) float64 {
	t = t.UTC()
	h := float64(t.Hour()) + float64(t.Minute())/60
	f := 1 + 0.45*math.Sin(2*math.Pi*(h-8)/24)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		f *= 0.75
	}
	return f
}

// counterKey names one counter series of the generated matrix.
type counterKey struct {
	service, route string
	code           int
}

// history is the cumulative state at every step; it is built first so each
// series can then be written whole, as OpenMetrics groups samples by series.
type history struct {
	times    []time.Time
	counters []counterKey
	counts   [][]uint64 // [counter][step]
	hists    []histSeries
}

type histSeries struct {
	ep      shop.Endpoint
	buckets [][]uint64 // [bucket incl. +Inf][step]
	count   []uint64
	sum     []float64
}

func simulate(c Config, incs []Incident) *history {
	r := rand.New(rand.NewPCG(c.Seed, 0xbacf111))
	steps := int(c.Span/c.Step) + 1
	first := c.End.Add(-time.Duration(steps-1) * c.Step)
	h := &history{times: make([]time.Time, steps)}

	counterIdx := map[counterKey]int{}
	for _, ep := range shop.Endpoints() {
		for _, code := range ep.Codes {
			k := counterKey{ep.Service, ep.Route, code}
			counterIdx[k] = len(h.counters)
			h.counters = append(h.counters, k)
			h.counts = append(h.counts, make([]uint64, steps))
		}
	}
	bounds := shop.Buckets()
	histIdx := map[string]int{}
	for _, svc := range c.HistogramServices {
		if _, dup := histIdx[svc]; dup {
			continue
		}
		ep, _ := shop.EndpointOf(svc)
		hs := histSeries{ep: ep, count: make([]uint64, steps), sum: make([]float64, steps)}
		for range len(bounds) + 1 {
			hs.buckets = append(hs.buckets, make([]uint64, steps))
		}
		histIdx[svc] = len(h.hists)
		h.hists = append(h.hists, hs)
	}

	cur := make([]uint64, len(h.counters))
	curB := make([][]uint64, len(h.hists))
	curSum := make([]float64, len(h.hists))
	for i := range h.hists {
		curB[i] = make([]uint64, len(bounds)+1)
	}
	count := func(ep string, route string, code int) {
		cur[counterIdx[counterKey{ep, route, code}]]++
	}
	observe := func(svc string, d time.Duration) {
		i, ok := histIdx[svc]
		if !ok {
			return
		}
		s := d.Seconds()
		b, _ := slices.BinarySearch(bounds, s)
		curB[i][b]++ // per-bucket here, made cumulative on write
		curSum[i] += s
	}

	eps := map[string]shop.Endpoint{}
	for _, ep := range shop.Endpoints() {
		eps[ep.Service] = ep
	}
	for step := range steps {
		t := first.Add(time.Duration(step) * c.Step)
		h.times[step] = t
		if step > 0 {
			mean := c.Rate * c.Step.Seconds() * load(t)
			n := int(math.Round(mean + math.Sqrt(mean)*r.NormFloat64()))
			cond := conditionsAt(incs, t)
			for range max(n, 0) {
				q := shop.Sample(r, cond)
				count(shop.Frontend, eps[shop.Frontend].Route, q.Frontend.Status)
				observe(shop.Frontend, q.Frontend.Duration())
				count(shop.Checkout, eps[shop.Checkout].Route, q.Checkout.Status)
				observe(shop.Checkout, q.Checkout.Duration())
				count(shop.Inventory, eps[shop.Inventory].Route, q.Inventory.Status)
				observe(shop.Inventory, q.Inventory.Duration())
				for _, a := range q.Payments[:q.NumPayments] {
					count(shop.Payments, eps[shop.Payments].Route, a.Status)
					observe(shop.Payments, a.Duration())
				}
			}
		}
		for i := range h.counters {
			h.counts[i][step] = cur[i]
		}
		for i := range h.hists {
			var cum uint64
			for b := range curB[i] {
				cum += curB[i][b]
				h.hists[i].buckets[b][step] = cum
			}
			h.hists[i].count[step] = cum
			h.hists[i].sum[step] = curSum[i]
		}
	}
	return h
}

// Write generates the history described by c and writes it to w, ending
// with the "# EOF" line promtool insists on.
func Write(w io.Writer, c Config) (Result, error) {
	if err := c.validate(); err != nil {
		return Result{}, fmt.Errorf("backfill config: %w", err)
	}
	incs := Incidents(c)
	h := simulate(c, incs)
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	res := Result{Incidents: incs, ErrorRatio: map[string]float64{}}

	ts := make([][]byte, len(h.times))
	for i, t := range h.times {
		// Whole seconds: OpenMetrics timestamps are seconds, and a minute
		// grid never needs a fraction.
		ts[i] = strconv.AppendInt(nil, t.Unix(), 10)
	}
	var line []byte
	emit := func(prefix string, val []byte, step int) {
		line = append(line[:0], prefix...)
		line = append(line, ' ')
		line = append(line, val...)
		line = append(line, ' ')
		line = append(line, ts[step]...)
		line = append(line, '\n')
		bw.Write(line)
		res.Samples++
	}
	var num []byte

	fmt.Fprintf(bw, "# HELP %s Requests served, by route and status code.\n", strings.TrimSuffix(shop.RequestsTotal, "_total"))
	fmt.Fprintf(bw, "# TYPE %s counter\n", strings.TrimSuffix(shop.RequestsTotal, "_total"))
	totals := map[string]uint64{}
	bad := map[string]uint64{}
	last := len(h.times) - 1
	for i, k := range h.counters {
		prefix := shop.RequestsTotal + labels("service", k.service, "route", k.route, "code", strconv.Itoa(k.code), "env", c.Env)
		for step, v := range h.counts[i] {
			num = strconv.AppendUint(num[:0], v, 10)
			emit(prefix, num, step)
		}
		res.Series++
		totals[k.service] += h.counts[i][last]
		if k.code != 200 {
			bad[k.service] += h.counts[i][last]
		}
	}
	for svc, n := range totals {
		if n > 0 {
			res.ErrorRatio[svc] = float64(bad[svc]) / float64(n)
		}
	}

	if len(h.hists) > 0 {
		fmt.Fprintf(bw, "# HELP %s Server-side request latency.\n", shop.DurationSeconds)
		fmt.Fprintf(bw, "# TYPE %s histogram\n", shop.DurationSeconds)
	}
	bounds := append(shop.Buckets(), math.Inf(1))
	for _, hs := range h.hists {
		base := []string{"service", hs.ep.Service, "route", hs.ep.Route, "env", c.Env}
		bucketPrefix := make([]string, len(bounds))
		for b, le := range bounds {
			bucketPrefix[b] = shop.DurationSeconds + "_bucket" + labels(append(base[:4:4], "le", shop.FormatLe(le), "env", c.Env)...)
		}
		countPrefix := shop.DurationSeconds + "_count" + labels(base...)
		sumPrefix := shop.DurationSeconds + "_sum" + labels(base...)
		// One histogram point is its buckets, count and sum together, in
		// that order, as the OpenMetrics text format lays it out.
		for step := range h.times {
			for b := range bounds {
				num = strconv.AppendUint(num[:0], hs.buckets[b][step], 10)
				emit(bucketPrefix[b], num, step)
			}
			num = strconv.AppendUint(num[:0], hs.count[step], 10)
			emit(countPrefix, num, step)
			num = strconv.AppendFloat(num[:0], hs.sum[step], 'f', 3, 64)
			emit(sumPrefix, num, step)
		}
		res.Series += len(bounds) + 2
	}
	bw.WriteString("# EOF\n")
	if err := bw.Flush(); err != nil {
		return res, fmt.Errorf("write openmetrics: %w", err)
	}
	res.Bytes = cw.n
	return res, nil
}

// labels renders name/value pairs in the given order; label values here
// are ours and never need more than quote and backslash escaping.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

type countingWriter struct {
	w io.Writer
	n int64
}

// Write counts bytes so the caller can report the file size for any writer.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
