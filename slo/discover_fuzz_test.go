package slo_test

import (
	"os"
	"testing"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/slotest"
)

// FuzzFromRules feeds rule expressions and labels from outside (a
// Prometheus's rules API) to the Sloth and Pyrra recognisers: whatever
// they hold, discovery must not panic, and what it returns must validate.
func FuzzFromRules(f *testing.F) {
	for _, p := range []string{"../scripts/stack/rules/sloth-checkout.yml", "../scripts/stack/rules/pyrra-frontend.yml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("groups: [{name: g, rules: [{alert: a, expr: 'x:burnrate5m{slo=\"s\"} > (1e308 * (1-0.5)) and x:burnrate1h{slo=\"s\"} > (1e308 * (1-0.5))'}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := slotest.ParseRules(data)
		if err != nil {
			return
		}
		slos, _ := slo.FromRules(rules)
		for _, s := range slos {
			if s.Objective <= 0 || s.Objective >= 1 || s.Window <= 0 || len(s.Table()) == 0 {
				t.Fatalf("discovered an slo.SLO that cannot be evaluated: %+v", s)
			}
		}
	})
}
