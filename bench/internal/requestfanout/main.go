// Command requestfanout measures the request view's fan-out against real
// backends: for each sampled request id it times the view (parallel), then
// makes the very same backend calls again one after another, and prints
// the view's wall time divided by the slowest single call and by the sum
// of the calls made sequentially. The order alternates between ids so
// neither side always runs on warm caches.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/loki"
)

func main() {
	lokiURL := flag.String("loki", os.Getenv("RELTUI_LOKI_URL"), "Loki base URL")
	jaegerAddr := flag.String("jaeger", os.Getenv("RELTUI_JAEGER_GRPC"), "Jaeger query gRPC host:port")
	n := flag.Int("n", 10, "request ids to measure")
	since := flag.Duration("since", time.Hour, "window searched, ending now")
	flag.Parse()
	if err := run(*lokiURL, *jaegerAddr, *n, *since); err != nil {
		fmt.Fprintln(os.Stderr, "requestfanout:", err)
		os.Exit(1)
	}
}

func run(lokiURL, jaegerAddr string, n int, since time.Duration) error {
	lc, err := loki.New(loki.Config{Address: lokiURL})
	if err != nil {
		return err
	}
	jc, err := jaeger.New(jaeger.Config{Address: jaegerAddr})
	if err != nil {
		return err
	}
	defer jc.Close()
	ctx := context.Background()
	ids, err := sample(ctx, lc, n+1)
	if err != nil {
		return err
	}
	r := correlate.NewResolver(correlate.Config{Logs: lc, Traces: jc})
	now := time.Now()
	w := correlate.Window{From: now.Add(-since), To: now}
	// Warm-up: fills the resolver's cache of selectors and services, which
	// a console session keeps between requests, and the connections.
	if _, err := r.Resolve(ctx, ids[0], w); err != nil {
		return err
	}
	var slowest, sequential []float64
	for i, id := range ids[1:] {
		var par time.Duration
		var v *correlate.View
		seqFirst := i%2 == 1
		replay := func() (time.Duration, time.Duration, error) {
			var sum, top time.Duration
			for _, c := range v.Calls {
				took, err := c.Replay(ctx)
				if err != nil {
					return 0, 0, fmt.Errorf("%s %s: %w", c.Backend, c.Op, err)
				}
				sum += took
				top = max(top, took)
			}
			return sum, top, nil
		}
		resolve := func() error {
			t0 := time.Now()
			v, err = r.Resolve(ctx, id, w)
			par = time.Since(t0)
			if err == nil && (v.IsPartial() || !v.Found()) {
				err = fmt.Errorf("%s: found %v %s", id, v.Found(), v.PartialNote())
			}
			return err
		}
		var sum, top time.Duration
		if seqFirst {
			// Learn the calls from a first view, replay them, then time a
			// second view.
			if err := resolve(); err != nil {
				return err
			}
			if sum, top, err = replay(); err != nil {
				return err
			}
			if err := resolve(); err != nil {
				return err
			}
		} else {
			if err := resolve(); err != nil {
				return err
			}
			if sum, top, err = replay(); err != nil {
				return err
			}
		}
		a, b := par.Seconds()/top.Seconds(), par.Seconds()/sum.Seconds()
		slowest, sequential = append(slowest, a), append(sequential, b)
		fmt.Printf("%s: view %6.0fms  %2d calls  slowest call %6.0fms  sequential %6.0fms  view/slowest %.2f  view/sequential %.2f\n",
			id, ms(par), len(v.Calls), ms(top), ms(sum), a, b)
	}
	fmt.Printf("median over %d requests: view/slowest-call %.2f (target <= 1.15), view/sequential %.2f (target <= 0.50)\n",
		len(slowest), median(slowest), median(sequential))
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// sample picks request ids of demo requests that completed 2–10 minutes
// ago, from the frontend's lines.
func sample(ctx context.Context, lc *loki.Client, n int) ([]string, error) {
	now := time.Now()
	res, err := lc.QueryRange(ctx, loki.Query{Expr: `{service="frontend"} |= "request completed"`,
		From: now.Add(-10 * time.Minute), To: now.Add(-2 * time.Minute), Limit: 1000})
	if err != nil {
		return nil, err
	}
	x := correlate.DefaultExtractor()
	var ids []string
	step := max(1, len(res.Entries)/n)
	for i := 0; i < len(res.Entries) && len(ids) < n; i += step {
		if id := x.Extract(res.Entries[i]).RequestID; id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) < n {
		return nil, fmt.Errorf("found %d request ids in Loki, want %d; is the demo workload running?", len(ids), n)
	}
	return ids, nil
}
