//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/prom"
)

type discoveredReport struct {
	sloReport
	Source                  string   `json:"source"`
	BudgetWithoutExclusions *float64 `json:"budget_without_exclusions"`
}

// writeConfig writes a config whose only context has the given body.
func writeSLOConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte("current_context: t\ncontexts:\n  t:\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// With no SLO in the config, the SLOs that the stack's Sloth- and
// Pyrra-shaped rule groups (scripts/stack/rules, loaded into its
// Prometheus) declare are listed, and every burn rate reltui reports is
// the team's own recording rule divided by the budget at the same instant.
func TestSLOsDiscoveredFromRulesEqualTheirRecordingRules(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	cfg := writeSLOConfig(t, "    prometheus: {url: "+st.PromURL+", timeout: 30s}\n")
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}
	// recorded is the rule's own series: Sloth's slo:sli_error:ratio_rate<W>
	// and Pyrra's http_requests:burnrate<W>, read directly.
	recorded := map[string]struct {
		sel    func(w string) string
		budget float64
		source string
		n      int // alert rows its rules wrote
	}{
		"checkout-requests-availability": {func(w string) string {
			return `slo:sli_error:ratio_rate` + w + `{sloth_id="checkout-requests-availability"}`
		}, 0.005, "Sloth rules", 4},
		"frontend-errors": {func(w string) string { return `http_requests:burnrate` + w + `{slo="frontend-errors"}` }, 0.01, "Pyrra rules", 4},
	}
	eventually(t, 3*time.Minute, func() error {
		at := time.Now().Add(-20 * time.Second).Truncate(time.Second).UTC()
		code, out, errs := runBin(t, bin, "slo", "--output", "json", "--at", at.Format(time.RFC3339), "--config", cfg)
		if code != 0 {
			return fmt.Errorf("exit %d: %s", code, errs)
		}
		var reports []discoveredReport
		if err := json.Unmarshal([]byte(out), &reports); err != nil {
			return fmt.Errorf("%v\n%s", err, out)
		}
		if len(reports) != len(recorded) {
			return fmt.Errorf("want exactly the %d generated SLOs, got %d:\n%s", len(recorded), len(reports), out)
		}
		checked := 0
		for _, r := range reports {
			want, ok := recorded[r.Name]
			if !ok {
				return fmt.Errorf("unexpected SLO %q", r.Name)
			}
			if r.Source != want.source || len(r.BurnRates) != want.n {
				return fmt.Errorf("%s: source %q, %d burn rows", r.Name, r.Source, len(r.BurnRates))
			}
			for _, b := range r.BurnRates {
				for _, side := range []struct {
					w   string
					got *float64
				}{{b.Long, b.LongRate}, {b.Short, b.ShortRate}} {
					series, _, err := pc.Query(context.Background(), want.sel(side.w), at)
					if err != nil {
						return err
					}
					if len(series) != 1 || len(series[0].Samples) != 1 {
						return fmt.Errorf("%s %s: the recording rule has no value yet", r.Name, side.w)
					}
					v := series[0].Samples[0].Value
					if math.IsNaN(v) {
						if side.got != nil {
							return fmt.Errorf("%s %s: reltui says %v, the rule records NaN", r.Name, side.w, *side.got)
						}
						continue
					}
					rate := v / want.budget
					if side.got == nil || math.Abs(*side.got-rate) > 1e-6*math.Max(1, rate) {
						return fmt.Errorf("%s %s: reltui burn %v, recording rule / budget = %v", r.Name, side.w, fmtRate(side.got), rate)
					}
					checked++
				}
			}
			t.Logf("%s (%s): status %s, 1h burn %s", r.Name, r.Source, r.Status, fmtRate(r.BurnRates[0].LongRate))
		}
		if checked == 0 {
			return fmt.Errorf("no burn rate had a value to compare")
		}
		return nil
	})

	// Sloth also records the current burn (5m ratio / budget) itself.
	t.Run("Sloth's own current burn rate", func(t *testing.T) {
		eventually(t, time.Minute, func() error {
			at := time.Now().Add(-20 * time.Second).Truncate(time.Second).UTC()
			code, out, errs := runBin(t, bin, "slo", "checkout-requests-availability", "--output", "json", "--at", at.Format(time.RFC3339), "--config", cfg)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var reports []discoveredReport
			if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 1 {
				return fmt.Errorf("%v\n%s", err, out)
			}
			series, _, err := pc.Query(context.Background(), `slo:current_burn_rate:ratio{sloth_id="checkout-requests-availability"}`, at)
			if err != nil || len(series) != 1 {
				return fmt.Errorf("slo:current_burn_rate:ratio: %v %v", series, err)
			}
			want := series[0].Samples[0].Value
			got := reports[0].BurnRates[0].ShortRate // page row: 1h long, 5m short
			if reports[0].BurnRates[0].Short != "5m" || got == nil || math.Abs(*got-want) > 1e-6*math.Max(1, want) {
				return fmt.Errorf("5m burn %s, Sloth's slo:current_burn_rate:ratio %v", fmtRate(got), want)
			}
			return nil
		})
	})
}

// privateProm starts a Prometheus of our own with no rules at all.
func privateProm(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("no prometheus binary")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.yml"), []byte("global: {scrape_interval: 15s}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "p.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stacktest.Stop(cmd, 10*time.Second) })
	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(url + "/-/ready"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return url
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("private prometheus not ready in 30s")
	return ""
}

// With a config that declares no SLOs and a Prometheus that has no SLO
// rules, `reltui slo` says there are none, what it searched and how to
// add one.
func TestSLONoneAnywhere(t *testing.T) {
	bin := buildBinary(t)
	url := privateProm(t)
	cfg := writeSLOConfig(t, "    prometheus: {url: "+url+"}\n")
	code, out, errs := runBin(t, bin, "slo", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"No SLOs found", cfg, "Prometheus rules at " + url + ":", "no Sloth rules", "no Pyrra rules", "To add one"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// The demo's lag SLO (orders-lag in scripts/stack/slos.yaml, lag in
// seconds from kafka_exporter's series) pages during an injected stall.
// It takes 6 to 15 minutes: run it with -timeout 25m, as scripts/test.sh
// does.
func TestDemoLagSLOPagesDuringStall(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	ctl, err := demo.NewControl(st.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := func() discoveredReport {
		code, out, errs := runBin(t, bin, "slo", "orders-lag", "--output", "json", "--config", st.ConfigPath)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var reports []discoveredReport
		if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 1 || len(reports[0].BurnRates) == 0 {
			t.Fatalf("%v\n%s", err, out)
		}
		return reports[0]
	}
	// So that the page is this stall's: wait until the fast page row's
	// 5m window is quiet (another test's stall may still be draining).
	// A stall drains within minutes once it ends, and its 5m window five
	// minutes later; integration tests never skip, so a window that stays
	// loud for 10 minutes is a failure.
	quiet := time.Now().Add(10 * time.Minute)
	for r := now(); r.BurnRates[0].Firing || r.BurnRates[0].ShortRate == nil || *r.BurnRates[0].ShortRate >= r.BurnRates[0].Factor; r = now() {
		if time.Now().After(quiet) {
			t.Fatalf("orders-lag's 5m window did not quieten in 10 minutes (another stall in force?): 5m %s", fmtRate(r.BurnRates[0].ShortRate))
		}
		time.Sleep(20 * time.Second)
	}
	start := time.Now().UTC().Truncate(time.Second)
	injectOwnFault(t, ctl, fault.Stall, 7*time.Minute)
	deadline := time.Now().Add(7 * time.Minute)
	last := ""
	for time.Now().Before(deadline) {
		r := now()
		last = fmt.Sprintf("status %s, 1h %s, 5m %s", r.Status, fmtRate(r.BurnRates[0].LongRate), fmtRate(r.BurnRates[0].ShortRate))
		if r.Status == "page" && r.BurnRates[0].Firing {
			t.Logf("orders-lag pages %s after the stall began: %s", time.Since(start).Round(time.Second), last)
			checkExclusionKeepsBudget(t, bin, st.PromURL, start)
			return
		}
		time.Sleep(15 * time.Second)
	}
	t.Fatalf("orders-lag did not page within 7 minutes of a stall; last: %s", last)
}

// lagReport is orders-lag judged at at, with from..to excluded as
// maintenance, through a config of its own.
func lagReport(t *testing.T, bin, promURL string, at, from, to time.Time) discoveredReport {
	t.Helper()
	cfg := writeSLOConfig(t, fmt.Sprintf("    prometheus: {url: %s, timeout: 60s}\n    slo_discovery: false\n"+
		"    slo_files: [%s]\n    slo_exclude:\n      - {slo: orders-lag, kind: maintenance, from: %s, to: %s}\n",
		promURL, stackSLOs(t), from.Format(time.RFC3339), to.Format(time.RFC3339)))
	code, out, errs := runBin(t, bin, "slo", "orders-lag", "--output", "json", "--at", at.Format(time.RFC3339), "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var reports []discoveredReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	return reports[0]
}

func stackSLOs(t *testing.T) string {
	p, err := filepath.Abs("../../scripts/stack/slos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkExclusionKeepsBudget: the stall, marked as maintenance, leaves the
// budget where it was before the stall, while the budget counting it has
// dropped. The window rolls on meanwhile, so "before" is judged at the
// stall's start without the part of its window that has since rolled
// out (also excluded): both then average the same 5-minute steps.
func checkExclusionKeepsBudget(t *testing.T, bin, promURL string, start time.Time) {
	t.Helper()
	// The budget with exclusions is a mean over 5-minute steps (aligned to
	// the clock), each the ratio of the 5 minutes before it: the stall
	// (lag over 60 s from about a minute in) shows once a step lands two
	// minutes or more into it.
	if wait := time.Until(start.Add(2 * time.Minute).Truncate(slo.ExclusionStep).Add(slo.ExclusionStep + 30*time.Second)); wait > 0 {
		t.Logf("waiting %s for a 5-minute step inside the stall", wait.Round(time.Second))
		time.Sleep(wait)
	}
	now := time.Now().UTC().Truncate(time.Second)
	const window = 30 * 24 * time.Hour
	before := lagReport(t, bin, promURL, start, start.Add(-window-time.Minute), now.Add(-window))
	after := lagReport(t, bin, promURL, now, start, now.Add(time.Minute))
	if before.BudgetRemaining == nil || after.BudgetRemaining == nil || after.BudgetWithoutExclusions == nil {
		t.Fatalf("budgets missing: before %+v after %+v", before, after)
	}
	b, a, all := *before.BudgetRemaining, *after.BudgetRemaining, *after.BudgetWithoutExclusions
	t.Logf("orders-lag budget before the stall %.4f; after it, with the stall excluded %.4f, counting it %.4f", b, a, all)
	if a-all < 0.02 {
		t.Fatalf("counting the stall spent only %.4f of the budget; the test cannot tell exclusion from noise", a-all)
	}
	if math.Abs(a-b) > 0.01 {
		t.Errorf("with the stall excluded the budget moved from %.4f to %.4f (counting it: %.4f)", b, a, all)
	}
}
