// Command requestfanout measures the request view's fan-out against real
// backends: for each sampled request id it times the view (parallel), then
// makes the very same backend calls again one after another, and prints
// the view's wall time divided by the slowest single call and by the sum
// of the calls made sequentially. The order alternates between ids so
// neither side always runs on warm caches.
//
// With -pids it also reads the CPU time the backends (and this process)
// used, and prints the floor that CPU puts under view/sequential on this
// machine's cores. With -rtt the backends are reached through a loopback
// delay line, as if they were that round trip away.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/victorialogs"
)

func main() {
	logsURL := flag.String("logs", os.Getenv("RELTUI_VLOGS_URL"), "log backend base URL")
	backend := flag.String("backend", "victorialogs", "log backend kind: victorialogs or loki")
	jaegerAddr := flag.String("jaeger", os.Getenv("RELTUI_JAEGER_GRPC"), "Jaeger query gRPC host:port")
	n := flag.Int("n", 10, "request ids to measure")
	since := flag.Duration("since", time.Hour, "window searched, ending now")
	verbose := flag.Bool("v", false, "print every call of every view: round, start, duration, replayed duration")
	pids := flag.String("pids", "", "comma-separated pids of the backends whose CPU time to count")
	rtt := flag.Duration("rtt", 0, "reach the backends through a delay line adding this round trip")
	flag.Parse()
	if *rtt > 0 {
		var err error
		if *logsURL, *jaegerAddr, err = delayed(*logsURL, *jaegerAddr, *rtt); err != nil {
			fmt.Fprintln(os.Stderr, "requestfanout:", err)
			os.Exit(1)
		}
		fmt.Printf("backends reached through a %v round-trip delay line\n", *rtt)
	}
	if err := run(*backend, *logsURL, *jaegerAddr, *n, *since, *verbose, parsePids(*pids)); err != nil {
		fmt.Fprintln(os.Stderr, "requestfanout:", err)
		os.Exit(1)
	}
}

func run(backend, logsURL, jaegerAddr string, n int, since time.Duration, verbose bool, pids []int) error {
	lc, err := logBackend(backend, logsURL)
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
	var slowest, sequential, firstTrace, chained []float64
	var viewCPU, seqCPU, viewWall, seqWall time.Duration
	// The backends also ingest the demo workload's telemetry all the
	// while: that CPU, measured here over a quiet moment, is taken off.
	var background float64 // CPU seconds per wall second
	if len(pids) > 0 {
		c0, t0 := cpuOf(pids), time.Now()
		time.Sleep(3 * time.Second)
		background = (cpuOf(pids) - c0).Seconds() / time.Since(t0).Seconds()
	}
	busy := func(c0 time.Duration, t0 time.Time) time.Duration {
		return cpuOf(pids) - c0 - time.Duration(background*float64(time.Since(t0)))
	}
	for i, id := range ids[1:] {
		var par, traceAt time.Duration
		var v *correlate.View
		var alone []time.Duration // each of v.Calls replayed alone
		seqFirst := i%2 == 1
		replay := func() (time.Duration, time.Duration, error) {
			var sum, top time.Duration
			c0, t0 := cpuOf(pids), time.Now()
			defer func() { seqCPU += busy(c0, t0); seqWall += sum }()
			alone = alone[:0]
			for _, c := range v.Calls {
				took, err := c.Replay(ctx)
				if err != nil {
					return 0, 0, fmt.Errorf("%s %s: %w", c.Backend, c.Op, err)
				}
				alone = append(alone, took)
				sum += took
				top = max(top, took)
				if verbose {
					fmt.Printf("    round %d  at %5.0fms  took %5.0fms  alone %5.0fms  %s %s %s\n",
						c.Round, ms(c.At), ms(c.Took), ms(took), c.Backend, c.Op, c.What)
				}
			}
			return sum, top, nil
		}
		resolve := func() error {
			c0 := cpuOf(pids)
			t0 := time.Now()
			traceAt = 0
			v, err = r.ResolveProgress(ctx, id, w, func(p *correlate.View) {
				// The request pane draws each snapshot as it comes: this
				// is when its first frame with the trace can be drawn.
				if traceAt == 0 && p.Joined != nil && len(p.Spans) > 0 {
					traceAt = time.Since(t0)
				}
			})
			par = time.Since(t0)
			if traceAt == 0 && err == nil && v.Joined != nil && len(v.Spans) > 0 {
				traceAt = par // the trace came with the last answer
			}
			viewCPU += busy(c0, t0)
			viewWall += par
			if err == nil && (v.IsPartial() || !v.Found()) {
				err = fmt.Errorf("%s: found %v %s", id, v.Found(), v.PartialNote())
			}
			return err
		}
		var sum, top time.Duration
		var calls []correlate.Call // the calls alone times were taken of
		if seqFirst {
			// Learn the calls from a first view, replay them, then time a
			// second view.
			if err := resolve(); err != nil {
				return err
			}
			if sum, top, err = replay(); err != nil {
				return err
			}
			calls = v.Calls
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
			calls = v.Calls
		}
		if traceAt == 0 {
			return fmt.Errorf("%s: the view found no trace", id)
		}
		chain := dependentChain(calls, alone)
		a, b := par.Seconds()/top.Seconds(), par.Seconds()/sum.Seconds()
		c, d := traceAt.Seconds()/top.Seconds(), par.Seconds()/chain.Seconds()
		slowest, sequential = append(slowest, a), append(sequential, b)
		firstTrace, chained = append(firstTrace, c), append(chained, d)
		fmt.Printf("%s: view %6.0fms  %2d calls  slowest call %6.0fms  sequential %6.0fms  view/slowest %.2f  view/sequential %.2f\n",
			id, ms(par), len(v.Calls), ms(top), ms(sum), a, b)
		fmt.Printf("%*s  trace on screen at %6.0fms  first-trace/slowest %.2f  chain alone %6.0fms  view/chain %.2f\n",
			len(id), "", ms(traceAt), c, ms(chain), d)
	}
	fmt.Printf("median over %d requests: view/slowest-call %.2f (target <= 1.15), view/sequential %.2f (target <= 0.50)\n",
		len(slowest), median(slowest), median(sequential))
	fmt.Printf("median over %d requests: first-frame-with-trace/slowest-call %.2f (target <= 1.0), view/dependent-chain %.2f (target <= 1.15)\n",
		len(firstTrace), median(firstTrace), median(chained))
	if len(pids) > 0 {
		views := time.Duration(len(slowest))
		if seqFirstViews := time.Duration(len(slowest) / 2); seqFirstViews > 0 {
			views += seqFirstViews // those ids were resolved twice
		}
		cores := runtime.NumCPU()
		perView := viewCPU / views
		perSeq := seqCPU / time.Duration(len(slowest))
		seq := seqWall / time.Duration(len(slowest))
		fmt.Printf("background CPU of the backends (demo ingest): %.0f%% of a core, taken off below\n", background*100)
		fmt.Printf("CPU (backends + this process): %.0fms per view, %.0fms per sequential replay (%.0fms wall); "+
			"on %d cores a view cannot take less than %.0fms, so view/sequential cannot go below %.2f here\n",
			ms(perView), ms(perSeq), ms(seq), cores, ms(perView)/float64(cores), ms(perView)/float64(cores)/ms(seq))
	}
	return nil
}

// cpuOf is the user+system CPU time of the processes pids and of this
// process.
func cpuOf(pids []int) time.Duration {
	var ru syscall.Rusage
	var total time.Duration
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		// Fields after the parenthesised command name; utime and stime are
		// the 14th and 15th fields, in clock ticks (100 per second).
		rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
		f := strings.Fields(rest)
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+st) * 10 * time.Millisecond
	}
	return total
}

func parsePids(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// delayed starts delay lines in front of Loki and Jaeger and returns the
// addresses that reach them through it.
func delayed(logsURL, jaegerAddr string, rtt time.Duration) (string, string, error) {
	u, err := url.Parse(logsURL)
	if err != nil {
		return "", "", err
	}
	ld, err := startDelayLine(u.Host, rtt/2)
	if err != nil {
		return "", "", err
	}
	jd, err := startDelayLine(jaegerAddr, rtt/2)
	if err != nil {
		return "", "", err
	}
	u.Host = ld.Addr()
	return u.String(), jd.Addr(), nil
}

// dependentChain is the longest chain of calls that had to wait for each
// other, each timed alone (alone[i] is calls[i] replayed by itself). A
// call depends on the call that ended last before it started in the
// view (the answer that named what it follows); a call that started
// before any call ended depends on none. Two dependent rounds cannot
// finish sooner than their chain, so view/chain is what the fan-out adds
// on top of what the data dependencies force.
func dependentChain(calls []correlate.Call, alone []time.Duration) time.Duration {
	chain := make([]time.Duration, len(calls))
	var longest time.Duration
	for i, c := range calls {
		parent, end := -1, time.Duration(-1)
		for j, p := range calls {
			if e := p.At + p.Took; j != i && e <= c.At && e > end {
				parent, end = j, e
			}
		}
		chain[i] = alone[i]
		if parent >= 0 {
			chain[i] += chain[parent] // calls are in the order they ended
		}
		longest = max(longest, chain[i])
	}
	return longest
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// sample picks request ids of demo requests that completed 2–10 minutes
// ago, from the frontend's lines.
func sample(ctx context.Context, lc sources.LogBackend, n int) ([]string, error) {
	now := time.Now()
	d := lc.Dialect()
	res, err := lc.QueryRange(ctx, sources.LogQuery{Expr: d.Contains(d.Stream("service", "frontend"), "request completed"),
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

// logBackend connects to the log backend of the given kind.
func logBackend(kind, addr string) (sources.LogBackend, error) {
	switch kind {
	case "victorialogs":
		return victorialogs.New(victorialogs.Config{Address: addr})
	case "loki":
		return loki.New(loki.Config{Address: addr})
	}
	return nil, fmt.Errorf("-backend must be victorialogs or loki, not %q", kind)
}
