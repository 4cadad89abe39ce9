package slo

import (
	"os"
	"testing"

	"github.com/reltui/reltui/sources/prom"
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
		rules, ok := fuzzRules(data)
		if !ok {
			return
		}
		slos, _ := FromRules(rules)
		for _, s := range slos {
			if s.Objective <= 0 || s.Objective >= 1 || s.Window <= 0 || len(s.Table()) == 0 {
				t.Fatalf("discovered an SLO that cannot be evaluated: %+v", s)
			}
		}
	})
}

func fuzzRules(data []byte) (rules []prom.Rule, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return parseRuleFile(&silentTB{}, data), true
}

// silentTB lets parseRuleFile run inside a fuzz body: a YAML error makes
// it give up rather than fail the target.
type silentTB struct{ testing.TB }

func (*silentTB) Helper()               {}
func (*silentTB) Fatal(...any)          { panic("skip") }
func (*silentTB) Fatalf(string, ...any) { panic("skip") }
