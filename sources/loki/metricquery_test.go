package loki

import "testing"

func TestIsMetricQuery(t *testing.T) {
	cases := []struct {
		expr string
		want bool
	}{
		{`{service="payments"}`, false},
		{`  {service="payments"} |= "timeout" | json | level="error"`, false},
		{"# errors only\n{app=\"api\"} |= `error`", false},
		{`{app="api"} | logfmt | unwrap duration [5m]`, false}, // not valid alone, but a pipeline
		{`count_over_time({service="payments"}[5m])`, true},
		{`sum by (level) (count_over_time({service="payments"}[5m]))`, true},
		{`  rate({app="api"} |= "error" [1m])`, true},
		{`(sum(rate({a="b"}[1m])))`, true},
		{`vector(1)`, true},
		{`1 + 1`, true},
		{"# a comment\nsum(rate({a=\"b\"}[1m]))", true},
		{`topk(3, sum by (path) (rate({a="b"}[5m])))`, true},
		{``, false},
		{"   \n\t", false},
		{"# only a comment", false},
	}
	for _, c := range cases {
		if got := IsMetricQuery(c.expr); got != c.want {
			t.Errorf("IsMetricQuery(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
}
