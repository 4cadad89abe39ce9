// Package links builds URLs that open what a view shows in a team's own
// web UIs, and reads them back (for tests, and to check that a link keeps
// the query, the datasource and the range):
//
//   - Grafana Explore, schemaVersion 1: /explore?schemaVersion=1&orgId=N&panes=JSON,
//     where JSON maps a pane key to {"datasource": uid, "queries": [...],
//     "range": {"from": ms, "to": ms}}. A log or metric query is the
//     query's "expr"; a trace lookup on a Jaeger datasource is
//     {"queryType": "", "query": trace id}. Several panes open side by
//     side (Explore's split view). This is the format Grafana 10+ writes
//     into its own address bar.
//   - VictoriaLogs' built-in web UI (VMUI): <url>/select/vmui/#/?query=Q&
//     g0.range_input=Ns&g0.end_input=YYYY-MM-DDTHH:MM:SS&g0.relative_time=none,
//     the parameters VMUI's time state reads; the end is in UTC.
//   - Jaeger UI: <ui>/trace/<id> for one trace, and
//     <ui>/search?service=S&operation=O&tags=JSON&minDuration=D&maxDuration=D&start=µs&end=µs&limit=N&lookback=custom
//     for a trace search, the query Jaeger UI's search form writes.
//
// It builds strings only: no I/O, no terminal. Callers sanitize nothing
// here; what they show of a link passes sources/sanitize like any text.
package links

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Grafana is where Explore links point: the base URL and the org.
type Grafana struct {
	URL   string
	OrgID int
}

// Enabled reports whether g can make links at all.
func (g Grafana) Enabled() bool { return validBase(g.URL) }

// ExplorePane is one side of an Explore link: one query on one datasource
// over a range.
type ExplorePane struct {
	// Datasource is the datasource's uid.
	Datasource string
	// Expr is a log or metric query; TraceID a trace to open (a trace
	// datasource's lookup). One of them is set.
	Expr    string
	TraceID string
	From    time.Time
	To      time.Time
}

// Explore returns the Explore URL showing panes side by side, or "" when
// g has no valid URL or a pane has no datasource or no query: a link that
// opens an empty Explore is worse than none.
func Explore(g Grafana, panes ...ExplorePane) string {
	if !g.Enabled() || len(panes) == 0 {
		return ""
	}
	out := map[string]any{}
	for i, p := range panes {
		if p.Datasource == "" || (p.Expr == "") == (p.TraceID == "") {
			return ""
		}
		q := map[string]any{"refId": "A", "datasource": map[string]string{"uid": p.Datasource}}
		if p.TraceID != "" {
			q["queryType"], q["query"] = "", p.TraceID
		} else {
			q["expr"] = p.Expr
		}
		out[paneKey(i)] = map[string]any{
			"datasource": p.Datasource,
			"queries":    []any{q},
			"range":      map[string]string{"from": msOrDefault(p.From, "now-1h"), "to": msOrDefault(p.To, "now")},
		}
	}
	js, err := json.Marshal(out)
	if err != nil {
		return ""
	}
	v := url.Values{}
	v.Set("schemaVersion", "1")
	v.Set("panes", string(js))
	if g.OrgID > 0 {
		v.Set("orgId", strconv.Itoa(g.OrgID))
	}
	return strings.TrimRight(strings.TrimSpace(g.URL), "/") + "/explore?" + v.Encode()
}

// paneKey names Explore's panes; Grafana accepts any short key.
func paneKey(i int) string { return "reltui" + strconv.Itoa(i) }

func msOrDefault(t time.Time, def string) string {
	if t.IsZero() {
		return def
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// ParseExplore reads an Explore URL back into its panes, in pane order.
func ParseExplore(link string) ([]ExplorePane, error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(u.Path, "/explore") {
		return nil, fmt.Errorf("not an Explore link: path %q", u.Path)
	}
	var raw map[string]struct {
		Datasource string `json:"datasource"`
		Queries    []struct {
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Expr  string `json:"expr"`
			Query string `json:"query"`
		} `json:"queries"`
		Range struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"range"`
	}
	if err := json.Unmarshal([]byte(u.Query().Get("panes")), &raw); err != nil {
		return nil, fmt.Errorf("panes: %w", err)
	}
	out := make([]ExplorePane, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		p, ok := raw[paneKey(i)]
		if !ok || len(p.Queries) != 1 {
			return nil, fmt.Errorf("pane %d missing or without exactly one query", i)
		}
		q := p.Queries[0]
		if q.Datasource.UID != p.Datasource {
			return nil, fmt.Errorf("pane %d: query datasource %q differs from the pane's %q", i, q.Datasource.UID, p.Datasource)
		}
		ep := ExplorePane{Datasource: p.Datasource, Expr: q.Expr, TraceID: q.Query}
		if ep.From, err = parseMs(p.Range.From); err != nil {
			return nil, err
		}
		if ep.To, err = parseMs(p.Range.To); err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	return out, nil
}

// parseMs reads a range end in epoch milliseconds; a relative one ("now")
// comes back as the zero time.
func parseMs(s string) (time.Time, error) {
	if strings.HasPrefix(s, "now") {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("range %q: %w", s, err)
	}
	return time.UnixMilli(n), nil
}

// vmuiEnd is the layout of VMUI's g0.end_input.
const vmuiEnd = "2006-01-02T15:04:05"

// VMUI returns the link to VictoriaLogs' web UI at base (the server's
// URL) running query over [from, to), or "" without a valid base or a
// query. VMUI takes whole seconds.
func VMUI(base, query string, from, to time.Time) string {
	if !validBase(base) || strings.TrimSpace(query) == "" || !from.Before(to) {
		return ""
	}
	v := url.Values{}
	v.Set("query", query)
	setRangeInput(v, from, to, vmuiEnd)
	v.Set("g0.relative_time", "none")
	return strings.TrimRight(strings.TrimSpace(base), "/") + "/select/vmui/#/?" + v.Encode()
}

// ParseVMUI reads a VMUI link back: the query and the range.
func ParseVMUI(link string) (query string, from, to time.Time, err error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	if !strings.HasSuffix(u.Path, "/select/vmui/") {
		return "", time.Time{}, time.Time{}, fmt.Errorf("not a VMUI link: path %q", u.Path)
	}
	_, rawQuery, ok := strings.Cut(u.EscapedFragment(), "?")
	if !ok {
		return "", time.Time{}, time.Time{}, errors.New("VMUI link without parameters")
	}
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	from, to, err = rangeInput(v, vmuiEnd)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	return v.Get("query"), from, to, nil
}

// JaegerTrace returns the Jaeger UI link to one trace, or "".
func JaegerTrace(ui, traceID string) string {
	if !validBase(ui) || traceID == "" {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(ui), "/") + "/trace/" + url.PathEscape(traceID)
}

// JaegerSearch is a Jaeger UI trace search.
type JaegerSearch struct {
	Service, Operation       string
	Tags                     map[string]string
	From, To                 time.Time
	MinDuration, MaxDuration time.Duration // zero: no bound
	Limit                    int
}

// JaegerSearchLink returns the Jaeger UI search link for s, or "" without
// a valid ui or a service (Jaeger UI searches one service at a time).
func JaegerSearchLink(ui string, s JaegerSearch) string {
	if !validBase(ui) || s.Service == "" || !s.From.Before(s.To) {
		return ""
	}
	v := url.Values{}
	v.Set("service", s.Service)
	if s.Operation != "" {
		v.Set("operation", s.Operation)
	}
	if len(s.Tags) > 0 {
		js, _ := json.Marshal(s.Tags)
		v.Set("tags", string(js))
	}
	if s.MinDuration > 0 {
		v.Set("minDuration", s.MinDuration.String())
	}
	if s.MaxDuration > 0 {
		v.Set("maxDuration", s.MaxDuration.String())
	}
	v.Set("start", strconv.FormatInt(s.From.UnixMicro(), 10))
	v.Set("end", strconv.FormatInt(s.To.UnixMicro(), 10))
	v.Set("limit", strconv.Itoa(max(1, s.Limit)))
	v.Set("lookback", "custom")
	return strings.TrimRight(strings.TrimSpace(ui), "/") + "/search?" + v.Encode()
}

// ParseJaeger reads a Jaeger UI link back: a trace id for a trace link,
// or the search.
func ParseJaeger(link string) (traceID string, s JaegerSearch, err error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", s, err
	}
	if i := strings.LastIndex(u.Path, "/trace/"); i >= 0 {
		return u.Path[i+len("/trace/"):], s, nil
	}
	if !strings.HasSuffix(u.Path, "/search") {
		return "", s, fmt.Errorf("not a Jaeger UI link: path %q", u.Path)
	}
	v := u.Query()
	s.Service, s.Operation = v.Get("service"), v.Get("operation")
	if t := v.Get("tags"); t != "" {
		if err := json.Unmarshal([]byte(t), &s.Tags); err != nil {
			return "", s, fmt.Errorf("tags: %w", err)
		}
	}
	start, err1 := strconv.ParseInt(v.Get("start"), 10, 64)
	end, err2 := strconv.ParseInt(v.Get("end"), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return "", s, err
	}
	s.From, s.To = time.UnixMicro(start), time.UnixMicro(end)
	s.Limit, _ = strconv.Atoi(v.Get("limit"))
	for name, d := range map[string]*time.Duration{"minDuration": &s.MinDuration, "maxDuration": &s.MaxDuration} {
		if t := v.Get(name); t != "" {
			if *d, err = time.ParseDuration(t); err != nil {
				return "", s, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return "", s, nil
}

// validBase accepts an absolute http(s) URL with a host.
func validBase(base string) bool {
	u, err := url.Parse(strings.TrimSpace(base))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
