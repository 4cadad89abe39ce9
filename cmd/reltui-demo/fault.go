package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
)

func newFaultCmd() *cobra.Command {
	var (
		addr    string
		dur     time.Duration
		asJSON  bool
		control = func() (*demo.Control, error) {
			if addr == "" {
				return nil, errors.New("--control is required (the address given to run --control)")
			}
			return demo.NewControl(addr, nil)
		}
	)
	cmd := &cobra.Command{
		Use:   "fault latency|errors|stall|status|clear KIND|end KIND ID",
		Short: "Inject a fault into a running workload, or show what is active",
		Long: `Talk to the control server of "reltui-demo run --control ADDR".

  fault latency   payments' card gateway slows by 0.8–2 s (p99 jumps)
  fault errors    payments answers 5xx to ~30% of charges
  fault stall     the orders consumer stops committing; lag grows
  fault status    active and upcoming faults, counters, backend health
  fault clear K   end every fault of kind K now (scheduled, and manual ones
                  whoever injected them)
  fault end K ID  end only the injected fault with that ID (printed when it
                  was injected, and by status); others of kind K stay`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := control()
			if err != nil {
				return err
			}
			ctx, cancel := withTimeout(cmd)
			defer cancel()
			out := cmd.OutOrStdout()
			switch args[0] {
			case "status":
				s, err := c.Status(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					return enc.Encode(s)
				}
				printStatus(out, s)
				return nil
			case "clear":
				if len(args) != 2 {
					return errors.New("clear needs a fault kind: latency, errors or stall")
				}
				k, err := fault.ParseKind(args[1])
				if err != nil {
					return err
				}
				s, err := c.Clear(ctx, k)
				if err != nil {
					return err
				}
				printFaults(out, s)
				return nil
			case "end":
				if len(args) != 3 {
					return errors.New("end needs a fault kind and the ID its inject printed, e.g. end latency 3fa2c1-4")
				}
				k, err := fault.ParseKind(args[1])
				if err != nil {
					return err
				}
				w, err := c.End(ctx, fault.Window{ID: args[2], Kind: k, Source: fault.Manual})
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s fault %s ended at %s\n", w.Kind, w.ID, w.End.Local().Format("15:04:05"))
				return nil
			}
			if len(args) != 1 {
				return fmt.Errorf("unexpected argument %q", args[1])
			}
			k, err := fault.ParseKind(args[0])
			if err != nil {
				return err
			}
			w, err := c.Inject(ctx, k, dur)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s fault %s active until %s (%s)\n", w.Kind, w.ID, w.End.Local().Format("15:04:05"), dur)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "control", "", "control address of the running workload, e.g. 127.0.0.1:7070")
	f.DurationVar(&dur, "for", 2*time.Minute, "how long the fault lasts")
	f.BoolVar(&asJSON, "json", false, "status: print the raw JSON")
	return cmd
}

func printFaults(out io.Writer, s demo.Status) {
	if len(s.Active) == 0 {
		fmt.Fprintln(out, "active faults: none")
	}
	for _, w := range s.Active {
		fmt.Fprintf(out, "active   %-8s %-9s since %s, %s left\n", w.Kind, w.Source,
			w.Start.Local().Format("15:04:05"), w.End.Sub(s.Now).Round(time.Second))
	}
	// Every injected window, several per kind possibly, with the ID that
	// "fault end" takes.
	for _, w := range s.Manual {
		fmt.Fprintf(out, "injected %-8s %-9s since %s, %s left\n", w.Kind, w.ID,
			w.Start.Local().Format("15:04:05"), w.End.Sub(s.Now).Round(time.Second))
	}
	for _, w := range s.Upcoming {
		fmt.Fprintf(out, "upcoming %-8s %-9s at %s for %s\n", w.Kind, w.Source,
			w.Start.Local().Format("15:04:05"), w.End.Sub(w.Start))
	}
}

func printStatus(out io.Writer, s demo.Status) {
	fmt.Fprintf(out, "env %s, %.1f req/s, up %s, schedule %t\n", s.Env, s.Rate, s.Now.Sub(s.Started).Round(time.Second), s.Schedule)
	printFaults(out, s)
	c := s.Counters
	fmt.Fprintf(out, "requests %d (%d failed), orders produced %d consumed %d\n", c.Requests, c.RequestErrors, c.OrdersProduced, c.OrdersConsumed)
	fmt.Fprintf(out, "log lines pushed %d (dropped %d, queued %d)\n", c.LogLinesPushed, c.LogLinesDrop, s.Queued.LogLines)
	fmt.Fprintf(out, "spans exported %d (failed %d)\n", c.SpansExported, c.SpansFailed)
	fmt.Fprintf(out, "metric pushes %d, samples %d (dropped %d, queued %d)\n", c.MetricPushes, c.SamplesPushed, c.MetricsDropped, s.Queued.MetricPushes)
	for _, p := range s.Kafka {
		fmt.Fprintf(out, "kafka orders/%d offset %d committed %d lag %d\n", p.Partition, p.Offset, p.Committed, p.Lag)
	}
	for _, name := range []string{demo.BackendLogs, demo.BackendPrometheus, demo.BackendOTLP} {
		b, ok := s.Backends[name]
		switch {
		case !ok || !b.Enabled:
			fmt.Fprintf(out, "%-10s off\n", name)
		case b.LastError != "" && b.LastErrorAt.After(b.LastSuccess):
			fmt.Fprintf(out, "%-10s FAILING since %s: %s\n", name, b.LastErrorAt.Local().Format("15:04:05"), b.LastError)
		default:
			last := "never"
			if !b.LastSuccess.IsZero() {
				last = s.Now.Sub(b.LastSuccess).Round(time.Second).String() + " ago"
			}
			fmt.Fprintf(out, "%-10s ok, last push %s (%d failures so far)\n", name, last, b.Failures)
		}
	}
}
