package alerts

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// StepNotePrefix starts the timeline note that records a runbook step as
// done, so the postmortem (and a later reader of the timeline) can tell
// these notes from the others. incidents has no event kind for runbook
// steps yet; a note is the existing kind that carries who and when.
const StepNotePrefix = "runbook step done: "

// runbookState is the runbook view of one alert firing.
type runbookState struct {
	open   bool
	alert  sources.Alert
	firing string
	ref    runbook.Ref
	found  bool

	// doc is what Model.rbDoc loaded (err: why not).
	doc    runbook.Loaded
	loaded bool
	err    error

	// lines is the rendered Markdown for width; stepLine[i] is the line
	// step i's text starts on (-1 when the renderer hid it).
	lines    []string
	width    int
	stepLine []int
	top      int
	step     int

	// done holds when each step (by number) was recorded; marking holds
	// the idempotency key of a write in flight or failed, so a retry
	// cannot record the step twice.
	done    map[int]time.Time
	marking map[int]string
	incID   int64
}

// StepDoneMsg says the user marked a runbook step done. The root routes
// it to the pane named by Pane (like every pane.Routed message), which
// records it on the incident about the alert.
type StepDoneMsg struct {
	Pane   string
	Alert  sources.Alert
	Firing string
	Step   runbook.Step
	// Runbook is where the runbook was read from, for the note.
	Runbook string
}

// recorded answers the write of a StepDoneMsg: the step (also with an
// error), and the incident and time it was recorded on.
type recorded struct {
	step  int
	incID int64
	at    time.Time
}

// PaneID routes the message to the Alerts pane that sent it.
func (m StepDoneMsg) PaneID() string { return m.Pane }

// errNoIncident is recordStep's answer when no open incident is about
// the alert.
var errNoIncident = errors.New("no open incident is about this alert; d declares one, then mark the step again")

// recordStep appends the step's note to incident incID, or to the
// newest open incident that has the alert as evidence when incID is 0.
func recordStep(s incidents.Store, incID int64, labels map[string]string, w incidents.Write, step int) func(context.Context) (recorded, error) {
	return func(ctx context.Context) (recorded, error) {
		incID, err := findIncident(ctx, s, incID, labels)
		if err != nil {
			return recorded{step: step}, err
		}
		ev, err := s.Append(ctx, incID, w)
		return recorded{step: step, incID: incID, at: ev.Time}, err
	}
}

// findIncident returns incID, or when it is 0 the newest open incident
// that has the alert with these labels as evidence.
func findIncident(ctx context.Context, s incidents.Store, incID int64, labels map[string]string) (int64, error) {
	if incID != 0 {
		return incID, nil
	}
	incs, err := s.List(ctx, incidents.Filter{Status: incidents.StatusOpen})
	if err != nil {
		return 0, err
	}
	for i := len(incs) - 1; i >= 0; i-- {
		if alertnoise.Mentions(incs[i], labels) {
			return incs[i].ID, nil
		}
	}
	return 0, errNoIncident
}

// stepsDone answers doneSteps: the steps the incident's timeline already
// records as done, by number.
type stepsDone struct {
	incID int64
	done  map[int]time.Time
}

// doneSteps reads which steps of this runbook the alert's incident
// already records, so reopening the runbook shows them and x cannot
// record one twice. No incident, or a failed read, shows none.
func doneSteps(s incidents.Store, incID int64, labels map[string]string) func(context.Context) (stepsDone, error) {
	return func(ctx context.Context) (stepsDone, error) {
		incID, err := findIncident(ctx, s, incID, labels)
		if err != nil {
			return stepsDone{}, nil
		}
		inc, err := s.Get(ctx, incID)
		if err != nil {
			return stepsDone{}, nil
		}
		return stepsDone{incID: incID, done: StepsDone(inc, labels["alertname"])}, nil
	}
}

// StepsDone reads, from an incident's timeline, the runbook steps of
// alert recorded as done (StepNote's notes), by step number, with when.
func StepsDone(inc incidents.Incident, alert string) map[int]time.Time {
	out := map[int]time.Time{}
	suffix := " (" + sanitize.Line(alert) + " runbook"
	for _, e := range inc.Events {
		rest, ok := strings.CutPrefix(e.Text, StepNotePrefix)
		if e.Kind != incidents.KindNote || !ok || !strings.Contains(rest, suffix) {
			continue
		}
		num, _, ok := strings.Cut(rest, ". ")
		if n, err := strconv.Atoi(num); ok && err == nil && n > 0 {
			if _, seen := out[n]; !seen {
				out[n] = e.Time
			}
		}
	}
	return out
}

// openRunbook opens the selected alert's runbook view and starts loading.
func (m *Model) openRunbook() tea.Cmd {
	it, ok := m.selected()
	if !ok {
		m.flash = "no alert selected"
		return nil
	}
	return m.openRunbookFor(it.a, m.declared[firingKey(it.a)])
}

// openRunbookFor opens a's runbook view; steps marked done go on incident
// incID (0: the open incident that names the alert, found when loading).
func (m *Model) openRunbookFor(a sources.Alert, incID int64) tea.Cmd {
	labels := alertLabels(a)
	ref, found := runbook.Locate(labels, a.Annotations, m.rbOpt.Dir)
	m.rb = runbookState{open: true, alert: a, firing: firingKey(a), ref: ref, found: found, incID: incID,
		done: map[int]time.Time{}, marking: map[int]string{}}
	// What the runbook open before asked is stale now.
	m.rbDoc.Reset()
	m.rbDone.Reset()
	if !found {
		return nil
	}
	opt := m.rbOpt
	cmds := []tea.Cmd{m.rbDoc.Start(m.ctx, func(ctx context.Context) (runbook.Loaded, error) {
		return runbook.Load(ctx, ref, opt)
	}), m.spin.Start()}
	if m.store != nil {
		cmds = append(cmds, m.rbDone.Start(m.ctx, doneSteps(m.store, incID, labels)))
	}
	return tea.Batch(cmds...)
}

func alertLabels(a sources.Alert) map[string]string {
	ls := maps.Clone(a.Labels)
	if ls == nil {
		ls = map[string]string{}
	}
	if a.Name != "" {
		ls["alertname"] = a.Name
	}
	return ls
}

func firingKey(a sources.Alert) string {
	return fmt.Sprintf("%s@%d", a.Fingerprint, a.ActiveAt.UnixNano())
}

func (m *Model) onStepsDone(res pane.Result[stepsDone]) tea.Cmd {
	msg := res.Value
	if msg.incID == 0 {
		return nil
	}
	if m.rb.incID == 0 {
		m.rb.incID = msg.incID
	}
	for n, at := range msg.done {
		if _, ok := m.rb.done[n]; !ok {
			m.rb.done[n] = at
		}
	}
	return nil
}

func (m *Model) onRunbook(msg pane.Result[runbook.Loaded]) tea.Cmd {
	m.rb.doc, m.rb.err, m.rb.loaded = msg.Value, msg.Err, msg.Err == nil
	m.rb.width = 0
	m.renderRunbook()
	return nil
}

// renderRunbook renders the Markdown for the pane's width (CPU only, no
// I/O) and finds where each step starts.
func (m *Model) renderRunbook() {
	rb := &m.rb
	w := max(20, m.width-2)
	if !rb.loaded || rb.width == w {
		return
	}
	rb.width = w
	out, err := m.md.render(rb.doc.Markdown, w)
	if err != nil {
		out = rb.doc.Markdown // the sanitized source is still readable
	}
	rb.lines = strings.Split(strings.Trim(out, "\n"), "\n")
	for i, l := range rb.lines {
		// glamour pads every line to the wrap width with styled spaces.
		if t := trailingPad.ReplaceAllString(l, ""); t != l {
			rb.lines[i] = t
			if strings.Contains(t, "\x1b[") {
				rb.lines[i] += "\x1b[0m"
			}
		}
	}
	rb.stepLine = locateSteps(rb.lines, rb.doc.Steps)
	m.clampRunbook()
}

// locateSteps finds, in document order, the rendered line each step's
// text begins on.
func locateSteps(lines []string, steps []runbook.Step) []int {
	out := make([]int, len(steps))
	from := 0
	for i, s := range steps {
		out[i] = -1
		needle := stepNeedle(s.Text)
		for j := from; j < len(lines); j++ {
			if strings.Contains(plain(lines[j]), needle) {
				out[i], from = j, j+1
				break
			}
		}
	}
	return out
}

var (
	multiSpace  = regexp.MustCompile(`\s+`)
	trailingPad = regexp.MustCompile(`(?:\x1b\[[0-9;]*m| )+$`)
)

// stepNeedle is the start of a step's text as the renderer prints it:
// a few words, before any wrap.
func stepNeedle(text string) string {
	words := strings.Fields(text)
	return strings.Join(words[:min(3, len(words))], " ")
}

func plain(s string) string { return multiSpace.ReplaceAllString(sanitize.Line(ansi.Strip(s)), " ") }

func (m *Model) rbBodyHeight() int { return max(1, m.height-5) }

func (m *Model) clampRunbook() {
	rb := &m.rb
	rb.step = min(max(0, rb.step), max(0, len(rb.doc.Steps)-1))
	rb.top = scrollTop(rb.top, len(rb.lines), m.rbBodyHeight())
}

// showStep scrolls so the selected step's line is in view.
func (m *Model) showStep() {
	rb := &m.rb
	if rb.step >= len(rb.stepLine) || rb.stepLine[rb.step] < 0 {
		return
	}
	l, h := rb.stepLine[rb.step], m.rbBodyHeight()
	if l < rb.top || l >= rb.top+h {
		rb.top = max(0, l-h/3)
	}
	m.clampRunbook()
}

func (m *Model) selectedStep() (runbook.Step, bool) {
	if !m.rb.loaded || m.rb.step >= len(m.rb.doc.Steps) {
		return runbook.Step{}, false
	}
	return m.rb.doc.Steps[m.rb.step], true
}

// onRunbookKey handles keys while the runbook view is open.
func (m *Model) onRunbookKey(msg tea.KeyMsg) tea.Cmd {
	k, rb := m.keys, &m.rb
	if k.ScrollLines(msg, &rb.top, len(rb.lines), m.rbBodyHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		rb.open = false
	case key.Matches(msg, k.NextStep):
		rb.step++
		m.clampRunbook()
		m.showStep()
	case key.Matches(msg, k.PrevStep):
		rb.step--
		m.clampRunbook()
		m.showStep()
	case key.Matches(msg, k.MarkDone):
		return m.markStep()
	case key.Matches(msg, k.RunQuery):
		return m.runStepQuery()
	case key.Matches(msg, k.CopyURL):
		return m.copyRunbookURL()
	case key.Matches(msg, k.Declare):
		return m.declare()
	}
	m.clampRunbook()
	return nil
}

// markStep sends the StepDoneMsg for the selected step.
func (m *Model) markStep() tea.Cmd {
	s, ok := m.selectedStep()
	if !m.canWrite(ok, "no step selected", "steps cannot be recorded") || !m.allowed(incidents.ActionNote) {
		return nil
	}
	if _, done := m.rb.done[s.Number]; done {
		m.flash = fmt.Sprintf("step %d is already recorded as done", s.Number)
		return nil
	}
	msg := StepDoneMsg{Pane: m.b.ID, Alert: m.rb.alert, Firing: m.rb.firing, Step: s, Runbook: m.rb.doc.Source}
	return func() tea.Msg { return msg }
}

// onStepDone records a step on the alert's incident.
func (m *Model) onStepDone(msg StepDoneMsg) tea.Cmd {
	if m.store == nil || msg.Firing != m.rb.firing {
		return nil
	}
	n := msg.Step.Number
	r := m.recording[n]
	if r == nil {
		req := pane.NewRequest[recorded](m.request(fmt.Sprintf("step %d", n)))
		r = &req
		m.recording[n] = r
	}
	if r.Busy() {
		return nil
	}
	k := m.rb.marking[n]
	if k == "" {
		k = newKey()
		m.rb.marking[n] = k
	}
	w := incidents.Write{Key: k + "-step", Author: m.author, Kind: incidents.KindNote, Text: StepNote(msg)}
	m.flash = fmt.Sprintf("recording step %d…", n)
	return tea.Batch(r.Start(m.ctx, recordStep(m.store, m.rb.incID, alertLabels(msg.Alert), w, n)), m.spin.Start())
}

// StepNote is the timeline text recording msg's step.
func StepNote(msg StepDoneMsg) string {
	name := sanitize.Line(msg.Alert.Name)
	text := fmt.Sprintf("%s%d. %s (%s runbook", StepNotePrefix, msg.Step.Number, sanitize.Line(msg.Step.Text), name)
	if msg.Runbook != "" {
		text += ", " + sanitize.Line(msg.Runbook)
	}
	return text + ")"
}

// recordingAny reports whether a step's write is out.
func (m *Model) recordingAny() bool {
	for _, r := range m.recording {
		if r.Busy() {
			return true
		}
	}
	return false
}

// onRecorded takes a step write's answer to that step's request.
func (m *Model) onRecorded(msg tea.Msg) (tea.Cmd, bool) {
	res, ok := msg.(pane.Result[recorded])
	if r := m.recording[res.Value.step]; ok && r != nil {
		return pane.On(r, m.onStepRecorded)(msg)
	}
	return nil, false
}

func (m *Model) onStepRecorded(msg pane.Result[recorded]) tea.Cmd {
	v := msg.Value
	if msg.Err != nil {
		_, reason := pane.ErrText(msg.Err)
		m.flash = "✗ step not recorded: " + reason
		if errors.Is(msg.Err, errNoIncident) {
			delete(m.rb.marking, v.step)
		}
		return nil
	}
	delete(m.rb.marking, v.step)
	m.rb.incID = v.incID
	m.rb.done[v.step] = v.at
	m.flash = fmt.Sprintf("step %d recorded on %s at %s", v.step, incidents.Ref(v.incID), v.at.In(m.b.Location).Format("15:04:05"))
	return nil
}

// runStepQuery pivots to the pane that runs the selected step's first
// query, over the alert's window.
func (m *Model) runStepQuery() tea.Cmd {
	s, ok := m.selectedStep()
	if !ok || len(s.Queries) == 0 {
		m.flash = "this step has no query block (promql, logql, logsql, traceql or trace)"
		return nil
	}
	q := s.Queries[0]
	p, ok := stepPivot(q)
	if !ok {
		m.flash = "✗ the trace block names neither a trace id nor service=NAME"
		return nil
	}
	now := m.b.Now()
	p.From, p.To = now.Add(-time.Hour), now
	if a := m.rb.alert.ActiveAt; !a.IsZero() {
		p.From = a.Add(-incidents.AlertWindow)
	}
	return func() tea.Msg { return p }
}

var hexID = regexp.MustCompile(`^[0-9a-fA-F]{16,32}$`)

// stepPivot turns a query block into the pivot that runs it.
func stepPivot(q runbook.Query) (pane.PivotMsg, bool) {
	text := strings.TrimSpace(q.Text)
	switch q.Target {
	case runbook.TargetMetrics:
		return pane.PivotMsg{Target: pane.TargetMetrics, Query: text}, true
	case runbook.TargetLogs:
		return pane.PivotMsg{Target: pane.TargetLogs, Query: text}, true
	}
	if hexID.MatchString(text) {
		return pane.PivotMsg{Target: pane.TargetTraces, TraceID: text}, true
	}
	for _, f := range strings.Fields(text) {
		k, v, ok := strings.Cut(f, "=")
		if ok && (k == "service" || k == "resource.service.name" || k == ".service.name") {
			return pane.PivotMsg{Target: pane.TargetTraces, Service: strings.Trim(v, `"`)}, true
		}
	}
	return pane.PivotMsg{}, false
}

func (m *Model) copyRunbookURL() tea.Cmd {
	u, cmd := pane.CopyCmd(m.rb.ref.URL)
	if cmd == nil {
		m.flash = "this runbook is a local file; it has no URL to copy"
		return nil
	}
	m.flash = "copied " + u
	return cmd
}

// Pivot opens the runbook a pane.RunbookPivot names (the Incidents pane's
// key on an incident declared from an alert): the live alert when it is
// still listed (its annotations may name a runbook_url), else the alert
// as the incident recorded it, by name and service.
func (m *Model) Pivot(msg pane.PivotMsg) tea.Cmd {
	name, svc, incID, ok := msg.Runbook()
	if !ok {
		return nil
	}
	m.detail, m.noise.open = false, false
	a := sources.Alert{Name: name, Labels: map[string]string{"alertname": name}}
	if svc != "" {
		a.Labels["service"] = svc
	}
	for _, it := range m.items {
		if it.a.Name == name && (svc == "" || it.a.Labels["service"] == svc) {
			a = it.a
			break
		}
	}
	return m.openRunbookFor(a, incID)
}
