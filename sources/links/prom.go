package links

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// promEnd is the layout of the Prometheus UI's g0.end_input (UTC).
const promEnd = "2006-01-02 15:04:05"

// PromGraph returns the link to Prometheus's own web UI at base graphing
// query over [from, to), or "" without a valid base, a query or a range:
// <base>/graph?g0.expr=Q&g0.tab=0&g0.range_input=Ns&g0.end_input=YYYY-MM-DD HH:MM:SS,
// the parameters the expression browser writes (Prometheus 2.x; 3.x
// redirects /graph to /query and keeps them). It takes whole seconds.
func PromGraph(base, query string, from, to time.Time) string {
	if !validBase(base) || strings.TrimSpace(query) == "" || !from.Before(to) {
		return ""
	}
	v := url.Values{}
	v.Set("g0.expr", query)
	v.Set("g0.tab", "0")
	setRangeInput(v, from, to, promEnd)
	return strings.TrimRight(strings.TrimSpace(base), "/") + "/graph?" + v.Encode()
}

// ParsePromGraph reads a PromGraph link back: the query and the range.
func ParsePromGraph(link string) (query string, from, to time.Time, err error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	if !strings.HasSuffix(u.Path, "/graph") {
		return "", time.Time{}, time.Time{}, fmt.Errorf("not a Prometheus graph link: path %q", u.Path)
	}
	v := u.Query()
	if strings.TrimSpace(v.Get("g0.expr")) == "" {
		return "", time.Time{}, time.Time{}, errors.New("Prometheus graph link without g0.expr")
	}
	from, to, err = rangeInput(v, promEnd)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	return v.Get("g0.expr"), from, to, nil
}

// setRangeInput writes [from, to) the way Prometheus-style UIs (VMUI, the
// expression browser) read it: g0.range_input in whole seconds and
// g0.end_input in UTC with layout.
func setRangeInput(v url.Values, from, to time.Time, layout string) {
	to = to.UTC().Truncate(time.Second)
	rng := max(time.Second, to.Sub(from.Truncate(time.Second)))
	v.Set("g0.range_input", strconv.FormatInt(int64(rng/time.Second), 10)+"s")
	v.Set("g0.end_input", to.Format(layout))
}

// rangeInput reads what setRangeInput wrote; a range that is not positive
// is an error.
func rangeInput(v url.Values, layout string) (from, to time.Time, err error) {
	to, err = time.ParseInLocation(layout, v.Get("g0.end_input"), time.UTC)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	rng, err := time.ParseDuration(v.Get("g0.range_input"))
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if rng <= 0 {
		return time.Time{}, time.Time{}, fmt.Errorf("range %s is not positive", rng)
	}
	return to.Add(-rng), to, nil
}
