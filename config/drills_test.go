package config

import (
	"strings"
	"testing"
	"time"
)

func TestDrillsBlock(t *testing.T) {
	doc := `contexts:
  p:
    prometheus: {url: http://x}
    drills:
      - name: payments-errors
        inject:
          http: {url: "http://127.0.0.1:7070/faults/errors?for=3m"}
        alert: PaymentsErrorBurst
        runbook: PaymentsErrorBurst.md
        services: [payments]
        timeout: 5m
      - name: scale-down
        inject:
          command: [kubectl, scale, deploy/payments, --replicas=0]
          timeout: 1m
        alert: PaymentsDown
`
	f, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Contexts["p"]
	d, ok := c.Drill("payments-errors")
	if !ok || d.Inject.HTTP.MethodOr() != "POST" || d.WaitOr() != 5*time.Minute || d.InjectTimeoutOr() != DefaultInjectTimeout || d.Runbook != "PaymentsErrorBurst.md" {
		t.Fatalf("parsed %+v", d)
	}
	s, ok := c.Drill("scale-down")
	if !ok || len(s.Inject.Command) != 4 || s.WaitOr() != DefaultDrillTimeout || s.InjectTimeoutOr() != time.Minute {
		t.Fatalf("parsed %+v", s)
	}
	if _, ok := c.Drill("nope"); ok {
		t.Fatal("found a drill that is not there")
	}
}

func TestDrillProblems(t *testing.T) {
	head := "contexts:\n  p:\n    prometheus: {url: http://x}\n    drills:\n"
	ok := "        alert: A\n        inject: {command: [true]}\n"
	cases := []struct{ name, body, want string }{
		{"no name", "      - alert: A\n        inject: {command: [true]}\n", "drills[0].name: a drill needs a name"},
		{"twice", "      - name: a\n" + ok + "      - name: a\n" + ok, `drills[1].name: another drill is called "a"`},
		{"no alert", "      - name: a\n        inject: {command: [true]}\n", "drills[0].alert: a drill needs the name of the alerting rule"},
		{"no fault", "      - name: a\n        alert: A\n", "drills[0].inject: a drill needs a fault to inject"},
		{"both", "      - name: a\n        alert: A\n        inject: {command: [true], http: {url: 'http://h/x'}}\n", "inject runs a command or an HTTP call, not both"},
		{"bad url", "      - name: a\n        alert: A\n        inject: {http: {url: 'ftp://h/x'}}\n", "drills[0].inject.http.url"},
		{"bad method", "      - name: a\n        alert: A\n        inject: {http: {url: 'http://h/x', method: TRACE}}\n", `method "TRACE" is not GET`},
		{"long wait", "      - name: a\n" + ok + "        timeout: 3h\n", "drills[0].timeout: timeout 3h0m0s is outside 0..2h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(head+tc.body), "c.yaml", testEnv(nil, nil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}
