package alerts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// NoisePeriod is how far back the noise view looks.
const NoisePeriod = 24 * time.Hour

// NoiseSource computes alert noise over a period; declared here so tests
// hand the pane a fake. NewNoiseSource builds the real one.
type NoiseSource interface {
	Noise(ctx context.Context, from, to time.Time) (alertnoise.Report, []string, error)
}

// NewNoiseSource reads Prometheus and, when incs is not nil, the incident
// store (for the actionable rate).
func NewNoiseSource(p alertnoise.Prometheus, incs alertnoise.IncidentLister) NoiseSource {
	return noiseSource{p: p, incs: incs}
}

type noiseSource struct {
	p    alertnoise.Prometheus
	incs alertnoise.IncidentLister
}

func (s noiseSource) Noise(ctx context.Context, from, to time.Time) (alertnoise.Report, []string, error) {
	return alertnoise.Gather(ctx, s.p, s.incs, alertnoise.Options{From: from, To: to})
}

// noiseState is the noise view; req reads the report, and keeps the
// last good one on screen while the next loads.
type noiseState struct {
	open     bool
	req      pane.Request[noiseReport]
	warnings []string
	top      int
}

// noiseReport answers the noise request.
type noiseReport struct {
	report   alertnoise.Report
	warnings []string
}

// openNoise shows the noise view and asks for the last NoisePeriod.
func (m *Model) openNoise() tea.Cmd {
	if m.noiseSrc == nil {
		m.flash = "✗ alert noise needs Prometheus (its ALERTS series and rules), and this context has none"
		return nil
	}
	m.noise.open = true
	return m.fetchNoise()
}

// fetchNoise reads the report unless a read is out (a second R is
// dropped, not queued).
func (m *Model) fetchNoise() tea.Cmd {
	if m.noise.req.Busy() {
		return nil
	}
	src, to := m.noiseSrc, m.b.Now().Truncate(time.Second)
	return tea.Batch(m.noise.req.Start(m.ctx, func(ctx context.Context) (noiseReport, error) {
		r, w, err := src.Noise(ctx, to.Add(-NoisePeriod), to)
		return noiseReport{report: r, warnings: w}, err
	}), m.spin.Start())
}

func (m *Model) onNoise(msg pane.Result[noiseReport]) tea.Cmd {
	m.noise.warnings = msg.Value.warnings
	return nil
}

// report is the last good noise report, and whether there is one.
func (n *noiseState) report() (alertnoise.Report, bool) {
	r, ok := n.req.Last()
	return r.report, ok
}

func (m *Model) onNoiseKey(msg tea.KeyMsg) tea.Cmd {
	k, n := m.keys, &m.noise
	switch {
	case key.Matches(msg, k.Back):
		n.open = false
	case key.Matches(msg, k.Refresh):
		return m.fetchNoise()
	}
	if rep, _ := n.report(); !k.ScrollLines(msg, &n.top, len(rep.Rules), m.listHeight()) {
		n.top = scrollTop(n.top, len(rep.Rules), m.listHeight())
	}
	return nil
}

// noiseLines draws the noise table, noisiest and least actionable first.
func (m *Model) noiseLines() []string {
	st, n := &m.st, &m.noise
	rep, loaded := n.report()
	sep := st.Muted.Render(" · ")
	head := st.Title.Render("Alert noise") + sep + st.Subtle.Render("last "+incidents.FormatDuration(NoisePeriod))
	if n.req.Busy() {
		head += sep + m.spin.View() + st.Subtle.Render("reading ALERTS…")
	} else if loaded {
		head += sep + st.Muted.Render("to "+rep.To.In(m.b.Location).Format("15:04:05"))
	}
	lines := []string{head, st.Header.Render(fmt.Sprintf("  %-*s %5s %8s %5s %9s %7s %s", m.ruleWidth(), "RULE", "FIRED", "FIRING", "FLAPS", "SELF-RES.", "MEDIAN", "ACTIONABLE"))}
	var lead []string
	rows := len(rep.Rules)
	switch {
	case n.req.Err() != nil:
		_, reason := n.req.ErrText()
		lead, rows = wrap(st.ErrorMsg.Render("✗ "+reason), m.width), 0
	case !loaded:
		lead = []string{st.Subtle.Render("Reading the ALERTS series and the rules…")}
	case len(rep.Rules) == 0:
		lead = []string{st.Subtle.Render("Prometheus has no alerting rules.")}
	}
	lines = append(lines, pane.Body(m.listHeight(), lead, n.top, rows, func(i int) string { return m.noiseRow(rep.Rules[i]) })...)
	bottom := st.Muted.Render("actionable = an incident about the alert was open · R refresh · esc back")
	switch {
	case len(n.warnings) > 0:
		bottom = st.WarnMsg.Render("! " + sanitize.Line(strings.Join(n.warnings, "; ")))
	case loaded && !rep.Incidents:
		bottom = st.WarnMsg.Render("! the incident store was not read: no actionable rates")
	}
	return append(lines, "", bottom)
}

func (m *Model) noiseRow(v alertnoise.View) string {
	st, c := &m.st, v.Cells()
	rate := c.Rate
	if v.ActionableRate != nil {
		rate = fmt.Sprintf("%d (%s)", v.Actionable, c.Rate)
	}
	w := m.ruleWidth()
	line := fmt.Sprintf("  %-*s %5d %8s %5d %9d %7s %-10s", w, truncate(sanitize.Line(v.Rule), w), v.Fired, c.Firing, v.Flaps, v.SelfResolved, c.Median, rate)
	if c.Now != "" {
		line += st.Critical.Render(" " + c.Now)
	}
	if v.Fired == 0 {
		return st.Muted.Render(line)
	}
	return line
}

// ruleWidth fits the table in the pane: the numbers take 58 columns.
func (m *Model) ruleWidth() int { return max(16, min(40, m.width-60)) }
