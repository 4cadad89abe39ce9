package slo

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/reltui/reltui/sources/prom"
)

// Source is where an SLO was declared.
type Source string

// The places reltui reads SLOs from.
const (
	// SourceConfig is the context's inline slos: list.
	SourceConfig Source = "config"
	// SourceFile is a spec file (slo_files: or --file).
	SourceFile Source = "file"
	// SourceSloth is recording rules Sloth generated, found in Prometheus.
	SourceSloth Source = "Sloth rules"
	// SourcePyrra is recording rules Pyrra generated, found in Prometheus.
	SourcePyrra Source = "Pyrra rules"
)

// KindRecorded is an error ratio a rule generator (Sloth, Pyrra) already
// records, one series per window. It has no event count.
const KindRecorded SLIKind = "recorded"

// RecordedSLI reads the error ratios a team's own recording rules hold.
type RecordedSLI struct {
	// Ratios maps a window to the selector of its recorded error ratio,
	// e.g. slo:sli_error:ratio_rate1h{sloth_id="svc-availability"}.
	Ratios map[time.Duration]string
}

// query is the error ratio over w: the recorded series when one exists;
// otherwise the mean of the shortest recorded ratio over w, which is how
// Sloth itself records its period ratio (sum_over_time / count_over_time
// of the 5m ratio).
func (r *RecordedSLI) query(w time.Duration) (string, error) {
	if sel, ok := r.Ratios[w]; ok {
		return sel, nil
	}
	if len(r.Ratios) == 0 {
		return "", fmt.Errorf("no recorded error ratio")
	}
	ws := make([]time.Duration, 0, len(r.Ratios))
	for d := range r.Ratios {
		ws = append(ws, d)
	}
	slices.Sort(ws)
	return fmt.Sprintf("avg_over_time(%s[%s])", r.Ratios[ws[0]], FormatPromDuration(w)), nil
}

// RuleLister lists a Prometheus's rules; *prom.Client satisfies it, and
// so do Thanos, Mimir and VictoriaMetrics, which serve the same API.
type RuleLister interface {
	Rules(ctx context.Context) ([]prom.Rule, error)
}

// Discover lists the SLOs Sloth and Pyrra generated rules for in the
// server's rules API. Notes say which rule groups looked like a
// generator's but could not be read, and why.
func Discover(ctx context.Context, rl RuleLister) ([]SLO, []string, error) {
	rules, err := rl.Rules(ctx)
	if err != nil {
		return nil, nil, err
	}
	slos, notes := FromRules(rules)
	return slos, notes, nil
}

// FromRules recognises Sloth's and Pyrra's generated rules among rules.
// Sloth SLOs are named by sloth_id, Pyrra SLOs by their slo label. Their
// alert tables are read from the generated alerting rules, windows and
// factors as written.
func FromRules(rules []prom.Rule) ([]SLO, []string) {
	var recording, alerts []prom.Rule
	for _, r := range rules {
		if r.Alerting() {
			alerts = append(alerts, r)
		} else {
			recording = append(recording, r)
		}
	}
	s, n1 := slothSLOs(recording, alerts)
	p, n2 := pyrraSLOs(recording, alerts)
	out := append(s, p...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, append(n1, n2...)
}

var slothRatio = regexp.MustCompile(`^slo:sli_error:ratio_rate(\w+)$`)

type slothDraft struct {
	slo       SLO
	ratios    map[time.Duration]string
	objective float64
	days      float64
	group     string
}

func slothSLOs(rules, alerts []prom.Rule) ([]SLO, []string) {
	drafts := map[string]*slothDraft{}
	get := func(id string) *slothDraft {
		d := drafts[id]
		if d == nil {
			d = &slothDraft{ratios: map[time.Duration]string{}, objective: math.NaN(), days: math.NaN()}
			drafts[id] = d
		}
		return d
	}
	for _, r := range rules {
		id := r.Labels["sloth_id"]
		if id == "" {
			continue
		}
		d := get(id)
		d.slo.Service = r.Labels["sloth_service"]
		switch m := slothRatio.FindStringSubmatch(r.Name); {
		case m != nil:
			if w, err := model.ParseDuration(m[1]); err == nil {
				d.ratios[time.Duration(w)] = fmt.Sprintf("%s{sloth_id=%q}", r.Name, id)
			}
			if d.group == "" {
				d.group = r.Group
			}
		case r.Name == "slo:objective:ratio" && math.IsNaN(d.objective):
			d.objective = constantOf(r.Query)
		case r.Name == "slo:time_period:days":
			d.days = constantOf(r.Query)
		case r.Name == "sloth_slo_info":
			if v, err := strconv.ParseFloat(r.Labels["sloth_objective"], 64); err == nil {
				d.objective = v / 100
			}
		}
	}
	var out []SLO
	var notes []string
	for id, d := range drafts {
		s := d.slo
		s.Name, s.Source, s.SourceDetail = id, SourceSloth, d.group
		s.Objective = d.objective
		s.Window = time.Duration(d.days * float64(Day))
		if math.IsNaN(d.days) {
			s.Window = longest(d.ratios)
		}
		s.SLI = SLI{Kind: KindRecorded, Recorded: &RecordedSLI{Ratios: d.ratios}}
		s.Alerts = alertTable(alerts, s.Window, func(sel *parser.VectorSelector) (time.Duration, bool) {
			m := slothRatio.FindStringSubmatch(sel.Name)
			if m == nil || !hasMatcher(sel, "sloth_id", id) {
				return 0, false
			}
			w, err := model.ParseDuration(m[1])
			return time.Duration(w), err == nil
		}, slothSeverity)
		if err := discovered(s, len(d.ratios)); err != nil {
			notes = append(notes, fmt.Sprintf("Sloth SLO %s: %v", id, err))
			continue
		}
		out = append(out, s)
	}
	return out, notes
}

var (
	pyrraBurn     = regexp.MustCompile(`^(.+):burnrate(\w+)$`)
	pyrraIncrease = regexp.MustCompile(`^.+:increase(\w+)$`)
)

type pyrraDraft struct {
	ratios  map[time.Duration]string
	target  float64
	window  time.Duration
	group   string
	service string
}

func pyrraSLOs(rules, alerts []prom.Rule) ([]SLO, []string) {
	drafts := map[string]*pyrraDraft{}
	for _, r := range rules {
		name := r.Labels["slo"]
		if name == "" || r.Labels["sloth_id"] != "" {
			continue
		}
		d := drafts[name]
		if d == nil {
			d = &pyrraDraft{ratios: map[time.Duration]string{}, target: math.NaN()}
			drafts[name] = d
		}
		if m := pyrraBurn.FindStringSubmatch(r.Name); m != nil {
			if w, err := model.ParseDuration(m[2]); err == nil {
				d.ratios[time.Duration(w)] = fmt.Sprintf("%s{slo=%q}", r.Name, name)
			}
			d.group = r.Group
			if d.service == "" {
				d.service = firstOf(r.Labels, "service", "namespace", "job")
			}
		} else if m := pyrraIncrease.FindStringSubmatch(r.Name); m != nil && d.window == 0 {
			if w, err := model.ParseDuration(m[1]); err == nil {
				d.window = time.Duration(w)
			}
		}
		switch r.Name {
		case "pyrra_objective":
			d.target = constantOf(r.Query)
		case "pyrra_window":
			if v := constantOf(r.Query); v > 0 {
				d.window = time.Duration(v) * time.Second
			}
		}
	}
	var out []SLO
	var notes []string
	for name, d := range drafts {
		if len(d.ratios) == 0 {
			continue // an slo label on some other rule, not Pyrra's
		}
		s := SLO{Name: name, Service: d.service, Objective: d.target, Window: d.window, Source: SourcePyrra, SourceDetail: d.group}
		s.SLI = SLI{Kind: KindRecorded, Recorded: &RecordedSLI{Ratios: d.ratios}}
		match := func(sel *parser.VectorSelector) (time.Duration, bool) {
			m := pyrraBurn.FindStringSubmatch(sel.Name)
			if m == nil || !hasMatcher(sel, "slo", name) {
				return 0, false
			}
			w, err := model.ParseDuration(m[2])
			return time.Duration(w), err == nil
		}
		if math.IsNaN(s.Objective) {
			s.Objective = pyrraTarget(alerts, match)
		}
		if s.Window == 0 {
			s.Window = pyrraExhaustionWindow(alerts, match)
		}
		s.Alerts = alertTable(alerts, s.Window, match, pyrraSeverity)
		if err := discovered(s, len(d.ratios)); err != nil {
			notes = append(notes, fmt.Sprintf("Pyrra SLO %s: %v", name, err))
			continue
		}
		out = append(out, s)
	}
	return out, notes
}

// discovered says why a discovered SLO cannot be evaluated.
func discovered(s SLO, ratios int) error {
	switch {
	case ratios == 0:
		return fmt.Errorf("no error-ratio recording rules")
	case !(s.Objective > 0 && s.Objective < 1):
		return fmt.Errorf("no objective found in its rules")
	case s.Window <= 0:
		return fmt.Errorf("no SLO window found in its rules")
	case len(s.Alerts) == 0:
		return fmt.Errorf("no burn-rate alerts found in its rules, so there is no alert table to judge by")
	}
	return nil
}

func longest(m map[time.Duration]string) time.Duration {
	var w time.Duration
	for d := range m {
		w = max(w, d)
	}
	return w
}

func firstOf(ls map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := ls[k]; v != "" {
			return v
		}
	}
	return ""
}

func slothSeverity(r prom.Rule) Severity {
	if r.Labels["sloth_severity"] == "ticket" {
		return SeverityTicket
	}
	return SeverityPage
}

// pyrraSeverity: Pyrra labels its fast alerts critical and its slow ones
// warning (unless the spec renamed them); anything but warning or a name
// with "ticket" in it counts as a page.
func pyrraSeverity(r prom.Rule) Severity {
	switch v := strings.ToLower(r.Labels["severity"]); {
	case v == "warning" || v == "info" || strings.Contains(v, "ticket"):
		return SeverityTicket
	}
	return SeverityPage
}

// burnTerm is one "ratio over window W is above factor × budget" test in a
// generated alert expression.
type burnTerm struct {
	window time.Duration
	factor float64
	// threshold is the right-hand side's second operand: the error budget
	// (Sloth writes the number, Pyrra 1-target).
	budget float64
}

// alertTable reads the multi-window conditions out of the alerting rules
// whose selectors match: each "A > (f × b) and B > (f × b)" is one row,
// its shorter window Short and its longer Long.
func alertTable(alerts []prom.Rule, window time.Duration, match selectorMatch, sev func(prom.Rule) Severity) []AlertWindow {
	var out []AlertWindow
	seen := map[[2]time.Duration]bool{}
	for _, r := range alerts {
		for _, pair := range burnPairs(r.Query, match) {
			a, b := pair[0], pair[1]
			if a.window > b.window {
				a, b = b, a
			}
			k := [2]time.Duration{b.window, a.window}
			if seen[k] {
				continue
			}
			seen[k] = true
			row := AlertWindow{Severity: sev(r), Long: b.window, Short: a.window, Factor: b.factor}
			if window > 0 {
				row.BudgetFraction = b.factor * b.window.Hours() / window.Hours()
			}
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity == SeverityPage
		}
		return out[i].Long < out[j].Long
	})
	return out
}

type selectorMatch func(*parser.VectorSelector) (time.Duration, bool)

// burnPairs finds every "and" whose two sides each hold one burn term.
func burnPairs(expr string, match selectorMatch) [][2]burnTerm {
	e, err := promParser.ParseExpr(expr)
	if err != nil {
		return nil
	}
	var out [][2]burnTerm
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		b, ok := n.(*parser.BinaryExpr)
		if !ok || b.Op != parser.LAND {
			return nil
		}
		l, r := burnTerms(b.LHS, match), burnTerms(b.RHS, match)
		if len(l) == 1 && len(r) == 1 {
			out = append(out, [2]burnTerm{l[0], r[0]})
		}
		return nil
	})
	return out
}

func burnTerms(e parser.Node, match selectorMatch) []burnTerm {
	var out []burnTerm
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		b, ok := n.(*parser.BinaryExpr)
		if !ok || b.Op != parser.GTR {
			return nil
		}
		sel, ok := unparen(b.LHS).(*parser.VectorSelector)
		if !ok {
			return nil
		}
		w, ok := match(sel)
		if !ok {
			return nil
		}
		mul, ok := unparen(b.RHS).(*parser.BinaryExpr)
		if !ok || mul.Op != parser.MUL {
			return nil
		}
		f, ok := number(mul.LHS)
		if !ok || !(f > 0) {
			return nil
		}
		budget, ok := number(mul.RHS)
		if !ok {
			budget = math.NaN()
		}
		out = append(out, burnTerm{window: w, factor: f, budget: budget})
		return nil
	})
	return out
}

// number evaluates a constant expression of number literals, parentheses
// and + - * /, as generators write "(1-0.99)".
func number(e parser.Node) (float64, bool) {
	switch e := unparen(e).(type) {
	case *parser.NumberLiteral:
		return e.Val, true
	case *parser.UnaryExpr:
		v, ok := number(e.Expr)
		if e.Op == parser.SUB {
			v = -v
		}
		return v, ok
	case *parser.BinaryExpr:
		a, ok1 := number(e.LHS)
		b, ok2 := number(e.RHS)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch e.Op {
		case parser.ADD:
			return a + b, true
		case parser.SUB:
			return a - b, true
		case parser.MUL:
			return a * b, true
		case parser.DIV:
			return a / b, true
		}
	}
	return 0, false
}

func unparen(e parser.Node) parser.Node {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			return e
		}
		e = p.Expr
	}
}

// constantOf reads a recording rule that records a constant: 0.999,
// vector(0.999) or vector(30). NaN when it is anything else.
func constantOf(expr string) float64 {
	e, err := promParser.ParseExpr(expr)
	if err != nil {
		return math.NaN()
	}
	if c, ok := unparen(e).(*parser.Call); ok && c.Func.Name == "vector" && len(c.Args) == 1 {
		e = c.Args[0]
	}
	if v, ok := number(e); ok {
		return v
	}
	return math.NaN()
}

func hasMatcher(sel *parser.VectorSelector, name, value string) bool {
	for _, m := range sel.LabelMatchers {
		if m.Name == name && m.Value == value && m.Type == labels.MatchEqual {
			return true
		}
	}
	return false
}

// pyrraTarget reads the objective from Pyrra's alert thresholds, which it
// writes as factor * (1-target).
func pyrraTarget(alerts []prom.Rule, match selectorMatch) float64 {
	for _, r := range alerts {
		for _, p := range burnPairs(r.Query, match) {
			if b := p[0].budget; b > 0 && b < 1 {
				return math.Round((1-b)*1e12) / 1e12
			}
		}
	}
	return math.NaN()
}

// pyrraExhaustionWindow is the SLO window from an alert's exhaustion
// label, which Pyrra sets to window / factor; used only when neither the
// increase rule nor pyrra_window names the window.
func pyrraExhaustionWindow(alerts []prom.Rule, match selectorMatch) time.Duration {
	for _, r := range alerts {
		ex, err := model.ParseDuration(r.Labels["exhaustion"])
		if err != nil {
			continue
		}
		for _, p := range burnPairs(r.Query, match) {
			w := time.Duration(float64(ex) * p[0].factor)
			return w.Round(Day)
		}
	}
	return 0
}
