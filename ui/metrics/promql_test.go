package metrics

import (
	"slices"
	"strings"
	"testing"
)

func TestMetricNames(t *testing.T) {
	cases := []struct {
		expr string
		want []string
	}{
		{`up`, []string{"up"}},
		{`rate(http_requests_total{service="payments", code=~"5.."}[5m])`, []string{"http_requests_total"}},
		{`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="a"}[1m])))`, []string{"http_request_duration_seconds_bucket"}},
		{`sum without (instance, pod) (foo) / on (job) group_left (team) bar offset 5m`, []string{"foo", "bar"}},
		{`a_total + b:recorded:rate5m * 1e3 > bool 0x1F`, []string{"a_total", "b:recorded:rate5m"}},
		{`{__name__="hidden"}`, nil},
		{`max_over_time(x[1h:5m]) and  vector(1) unless  y`, []string{"x", "y"}},
		{`label_replace(up, "dst", "$1", "src", "(.*)")`, []string{"up"}},
		{`topk(5, rate(requests[5m])) # a comment naming fake_metric`, []string{"requests"}},
		{`sum(foo`, []string{"foo"}},
		{`foo + foo`, []string{"foo"}},
		{`"string {" + 3`, nil},
		{`Inf + NaN`, nil},
		{`count_values("v", x) @ 1609746000`, []string{"x"}},
	}
	for _, c := range cases {
		if got := metricNames(c.expr); !slices.Equal(got, c.want) {
			t.Errorf("metricNames(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

func FuzzMetricNames(f *testing.F) {
	for _, s := range []string{
		`up`, `rate(x{a="b"}[5m])`, `sum by (le) (rate(y_bucket[1m]))`, `"unterminated`, `{a="\"}`, `x[`,
		"a # c\nb", `foo offset -5m`, `héllo_世界 + z`, "\xff\xfe", `((((`, `]]]}}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, n := range metricNames(expr) {
			if n == "" || !isIdentStart(n[0]) {
				t.Fatalf("name %q does not start like an identifier", n)
			}
			if !strings.Contains(expr, n) {
				t.Fatalf("name %q is not in the expression", n)
			}
		}
	})
}
