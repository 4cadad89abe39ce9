package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

func newConfigCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect the configuration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	var offline bool
	var timeout time.Duration
	check := &cobra.Command{
		Use:   "check",
		Short: "Print the resolved configuration (secrets redacted) and probe each backend; exit 1 on any problem",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConfigCheck(cmd.Context(), g, offline, timeout)
		},
	}
	check.Flags().BoolVar(&offline, "offline", false, "check the file only; do not contact backends")
	check.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "per-backend probe timeout")
	cmd.AddCommand(check)
	return cmd
}

// loadConfig loads the file named by --config / RELTUI_CONFIG, or the
// default path, or the environment.
func loadConfig(g *globals) (*config.File, error) {
	return config.Load(g.configPath, g.configSet, config.OSEnv())
}

func runConfigCheck(ctx context.Context, g *globals, offline bool, timeout time.Duration) error {
	f, err := loadConfig(g)
	if err != nil {
		// Problems print one per line, each naming file, line and key.
		return &exitError{code: 1, msg: "invalid configuration:\n" + err.Error()}
	}
	fmt.Fprint(g.stdout, f.Redacted(config.OSEnv()))
	name, c, err := f.Select(g.context)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	if offline {
		fmt.Fprintf(g.stdout, "\ncontext %s: configuration OK (backends not contacted)\n", name)
		return nil
	}
	bs, err := contextBackends(name, c)
	if err != nil {
		return err
	}
	defer bs.Close()
	if ctx == nil {
		ctx = context.Background()
	}
	fmt.Fprintf(g.stdout, "\nbackends of context %s:\n", name)
	probes := bs.probes()
	results := make([]string, len(probes))
	failed := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			perr := p.Ping(pctx)
			line := fmt.Sprintf("  %-13s %-32s ", p.Name, p.Addr)
			if perr != nil {
				line += "FAIL " + sources.KindOf(perr).String() + ": " + sanitize.Line(perr.Error())
				mu.Lock()
				failed++
				mu.Unlock()
			} else {
				line += fmt.Sprintf("healthy (%s)", time.Since(start).Round(time.Millisecond))
			}
			results[i] = line
		}()
	}
	wg.Wait()
	fmt.Fprintln(g.stdout, strings.Join(results, "\n"))
	if len(probes) == 0 {
		return &exitError{code: 1, msg: "context " + name + " has no backends"}
	}
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d backends unhealthy", failed, len(probes))}
	}
	fmt.Fprintf(g.stdout, "%d backends healthy\n", len(probes))
	return nil
}
