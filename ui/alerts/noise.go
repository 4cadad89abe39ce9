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

// noiseState is the noise view.
type noiseState struct {
	open     bool
	seq      int
	loading  bool
	report   alertnoise.Report
	loaded   bool
	warnings []string
	err      error
	top      int
}

type noiseMsg struct {
	pane     string
	seq      int
	report   alertnoise.Report
	warnings []string
	err      error
}

func (m noiseMsg) PaneID() string { return m.pane }

func noiseCmd(ctx context.Context, src NoiseSource, id string, seq int, from, to time.Time, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		r, w, err := src.Noise(ctx, from, to)
		return noiseMsg{pane: id, seq: seq, report: r, warnings: w, err: err}
	}
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

func (m *Model) fetchNoise() tea.Cmd {
	if m.noise.loading {
		return nil
	}
	m.noise.seq++
	m.noise.loading = true
	to := m.now().Truncate(time.Second)
	return tea.Batch(noiseCmd(m.ctx, m.noiseSrc, m.id, m.noise.seq, to.Add(-NoisePeriod), to, m.tmo), m.spin.Start())
}

func (m *Model) onNoise(msg noiseMsg) {
	n := &m.noise
	n.loading = false
	n.err, n.warnings = msg.err, msg.warnings
	if msg.err == nil {
		n.report, n.loaded = msg.report, true
	}
}

func (m *Model) onNoiseKey(msg tea.KeyMsg) tea.Cmd {
	k, n := m.keys, &m.noise
	switch {
	case key.Matches(msg, k.Back):
		n.open = false
	case key.Matches(msg, k.Refresh):
		return m.fetchNoise()
	case k.isMotion(msg):
		n.top = k.move(msg, n.top, m.listHeight(), len(n.report.Rules))
	}
	n.top = min(max(0, n.top), max(0, len(n.report.Rules)-m.listHeight()))
	return nil
}

// noiseLines draws the noise table, noisiest and least actionable first.
func (m *Model) noiseLines() []string {
	st, n := &m.st, &m.noise
	sep := st.Muted.Render(" · ")
	head := st.Title.Render("Alert noise") + sep + st.Status.Render("last "+incidents.FormatDuration(NoisePeriod))
	if n.loading {
		head += sep + m.spin.View() + st.Status.Render("reading ALERTS…")
	} else if n.loaded {
		head += sep + st.Muted.Render("to "+n.report.To.In(m.loc).Format("15:04:05"))
	}
	lines := []string{head, st.Header.Render(fmt.Sprintf("  %-*s %5s %8s %5s %9s %7s %s", m.ruleWidth(), "RULE", "FIRED", "FIRING", "FLAPS", "SELF-RES.", "MEDIAN", "ACTIONABLE"))}
	h := m.listHeight()
	var body []string
	switch {
	case n.err != nil:
		body = wrap(st.ErrorMsg.Render("✗ "+sanitize.Line(n.err.Error())), m.width)
	case !n.loaded:
		body = []string{st.Status.Render("Reading the ALERTS series and the rules…")}
	case len(n.report.Rules) == 0:
		body = []string{st.Status.Render("Prometheus has no alerting rules.")}
	}
	for i := n.top; n.err == nil && i < len(n.report.Rules) && len(body) < h; i++ {
		body = append(body, m.noiseRow(n.report.Rules[i]))
	}
	for len(body) < h {
		body = append(body, "")
	}
	lines = append(lines, body[:h]...)
	bottom := st.Muted.Render("actionable = an incident about the alert was open · R refresh · esc back")
	switch {
	case len(n.warnings) > 0:
		bottom = st.WarnMsg.Render("! " + sanitize.Line(strings.Join(n.warnings, "; ")))
	case n.loaded && !n.report.Incidents:
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
