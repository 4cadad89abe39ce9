package traces

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// servicesRefresh is how old the service list may get before opening the
// form asks Jaeger again; within it the session's list is reused.
const servicesRefresh = 5 * time.Minute

// suggest is the search form's service and operation suggestions: the
// names Jaeger knows, fetched in Cmds, and the list under the focused
// field. Operations are cached per service for the session.
type suggest struct {
	// svc asks for the service list; its LastAt is when the list
	// arrived and its Err why the last ask failed.
	svc      pane.Request[[]string]
	services []string
	known    map[string]bool

	// opsReq asks for one service's operations: opsFor's, while Busy.
	opsReq pane.Request[opsAnswer]
	opsFor string
	ops    map[string][]string
	// opsErr is why the operations of opsErrFor could not be listed; it
	// stays until that service's operations come.
	opsErr    error
	opsErrFor string

	// The list under the focused field.
	matches []string
	sel     int
	hidden  bool   // esc or a taken suggestion hid it until the text changes
	text    string // the text and field the matches were computed for
	field   int
}

// servicesMsg is Jaeger's service list, sanitized in the Cmd.
type servicesMsg = pane.Result[[]string]

// opsAnswer is the operation list of one service, sanitized in the Cmd.
type opsAnswer struct {
	service string
	names   []string
}

// opsMsg is the answer to an operations request.
type opsMsg = pane.Result[opsAnswer]

// cleanList sanitizes names from the backend, drops empties and
// duplicates, and sorts them. *jaeger.Client does the same, but the pane
// cannot count on every Source doing it.
func cleanList(in []string) []string {
	out := make([]string, len(in))
	for i, n := range in {
		out[i] = sanitize.Line(n)
	}
	out = slices.DeleteFunc(out, func(n string) bool { return n == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// listServices asks for the service list, sanitized.
func listServices(src Source) func(context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		names, err := src.Services(ctx)
		return cleanList(names), err
	}
}

// listOps asks for the operations of service, sanitized.
func listOps(src Source, service string) func(context.Context) (opsAnswer, error) {
	return func(ctx context.Context) (opsAnswer, error) {
		names, err := src.Operations(ctx, service, "")
		return opsAnswer{service: service, names: cleanList(names)}, err
	}
}

// filterNames returns the names that contain text, ignoring case: those
// that start with it first, then the rest, each group in name order.
func filterNames(names []string, text string) []string {
	q := strings.ToLower(strings.TrimSpace(text))
	if q == "" {
		return slices.Clone(names)
	}
	var prefix, inside []string
	for _, n := range names {
		l := strings.ToLower(n)
		switch {
		case strings.HasPrefix(l, q):
			prefix = append(prefix, n)
		case strings.Contains(l, q):
			inside = append(inside, n)
		}
	}
	return append(prefix, inside...)
}

// fetchServices asks for the service list unless one is on its way or
// fresh.
func (m *Model) fetchServices() tea.Cmd {
	sg := &m.sg
	if m.src == nil || sg.svc.Busy() {
		return nil
	}
	if at := sg.svc.LastAt(); !at.IsZero() && sg.svc.Err() == nil && m.b.Now().Sub(at) < servicesRefresh {
		return nil
	}
	return tea.Batch(sg.svc.Start(m.ctx, listServices(m.src)), m.spin.Start())
}

// fetchOps asks for the operations of the service in the form when it is
// a known service whose operations are neither cached nor on their way.
// Typing through other names asks for nothing.
func (m *Model) fetchOps() tea.Cmd {
	sg := &m.sg
	svc := m.form.value(fieldService)
	if m.src == nil || !sg.known[svc] || sg.fetchingOps(svc) {
		return nil
	}
	if _, ok := sg.ops[svc]; ok {
		return nil
	}
	sg.opsFor = svc // the answer for the previous name is stale now
	return tea.Batch(sg.opsReq.Start(m.ctx, listOps(m.src, svc)), m.spin.Start())
}

// fetchingOps reports whether the operations of svc are on their way.
func (sg *suggest) fetchingOps(svc string) bool {
	return sg.opsReq.Busy() && sg.opsFor == svc
}

func (m *Model) onServices(msg servicesMsg) tea.Cmd {
	sg := &m.sg
	if msg.Err != nil {
		return nil // the old list, if any, stays
	}
	sg.services = msg.Value
	sg.known = make(map[string]bool, len(msg.Value))
	for _, n := range msg.Value {
		sg.known[n] = true
	}
	m.refreshMatches()
	return m.fetchOps()
}

func (m *Model) onOps(msg opsMsg) tea.Cmd {
	sg := &m.sg
	a := msg.Value
	if msg.Err != nil {
		sg.opsErr, sg.opsErrFor = msg.Err, a.service
		return nil
	}
	if sg.opsErrFor == a.service {
		sg.opsErr, sg.opsErrFor = nil, ""
	}
	if sg.ops == nil {
		sg.ops = map[string][]string{}
	}
	sg.ops[a.service] = a.names
	m.refreshMatches()
	return nil
}

// candidates is what the focused field may be completed from.
func (m *Model) candidates() []string {
	switch m.form.focus {
	case fieldService:
		return m.sg.services
	case fieldOperation:
		return m.sg.ops[m.form.value(fieldService)]
	}
	return nil
}

// refreshMatches recomputes the list after the text, the focus or the
// names changed; a changed text shows a hidden list again.
func (m *Model) refreshMatches() {
	sg := &m.sg
	text := m.form.inputs[m.form.focus].Value()
	if text != sg.text || m.form.focus != sg.field {
		sg.hidden = false
		// Typed text highlights the best match, so tab completes it; an
		// empty field highlights nothing, so tab just moves on.
		sg.sel = 0
		if strings.TrimSpace(text) == "" {
			sg.sel = -1
		}
	}
	sg.text, sg.field = text, m.form.focus
	sg.matches = filterNames(m.candidates(), text)
	// A value that is exactly the only match needs no list.
	if len(sg.matches) == 1 && sg.matches[0] == strings.TrimSpace(text) {
		sg.matches = nil
	}
	sg.sel = min(sg.sel, len(sg.matches)-1)
}

// listOpen reports whether the suggestion list is on screen.
func (m *Model) listOpen() bool {
	return m.mode == modeForm && !m.sg.hidden && len(m.sg.matches) > 0
}

// take puts the highlighted suggestion in the field; false when there is
// nothing different to take, so the key does its usual job.
func (m *Model) take() bool {
	if !m.listOpen() || m.sg.sel < 0 {
		return false
	}
	s := m.sg.matches[m.sg.sel]
	in := &m.form.inputs[m.form.focus]
	if s == strings.TrimSpace(in.Value()) {
		return false
	}
	in.SetValue(s)
	in.CursorEnd()
	m.sg.hidden = true
	m.sg.text = in.Value()
	return true
}

// suggestKey handles a form key aimed at the list; false when the list is
// closed or the key is not one of its keys.
func (m *Model) suggestKey(k tea.KeyMsg) bool {
	if !m.listOpen() {
		return false
	}
	keys := m.keys
	n := len(m.sg.matches)
	switch {
	case key.Matches(k, keys.SuggestNext):
		m.sg.sel = (m.sg.sel + 1) % n
	case key.Matches(k, keys.SuggestPrev):
		m.sg.sel = (max(m.sg.sel, 0) - 1 + n) % n
	case key.Matches(k, keys.Accept):
		return m.take()
	case key.Matches(k, keys.Back):
		m.sg.hidden = true
	default:
		return false
	}
	return true
}

// suggestMax is how many suggestions the list shows at once.
func (m *Model) suggestMax() int { return min(8, max(1, (m.height-numFields-4)/2)) }

// suggestLines is what goes under the focused field: the list, a
// loading line or a short error note. The form works without them.
func (m *Model) suggestLines() []string {
	st := &m.st
	sg := &m.sg
	indent := strings.Repeat(" ", formLabelWidth)
	var what string
	var err error
	loading := ""
	switch m.form.focus {
	case fieldService:
		what, err = "services", sg.svc.Err()
		if sg.svc.Busy() {
			loading = "loading services…"
		}
	case fieldOperation:
		svc := m.form.value(fieldService)
		what = "operations"
		switch {
		case sg.opsErrFor == svc && sg.opsErr != nil:
			err = sg.opsErr
		case sg.svc.Err() != nil:
			// Without the service list no operations are asked for.
			what, err = "services", sg.svc.Err()
		}
		switch {
		case svc != "" && sg.fetchingOps(svc):
			loading = "loading operations of " + svc + "…"
		case svc != "" && len(sg.services) > 0 && !sg.known[svc]:
			return []string{m.fit(indent + st.Muted.Render("(Jaeger knows no service "+sanitize.Line(svc)+"; operations are listed for known services)"))}
		}
	default:
		return nil
	}
	var lines []string
	if loading != "" {
		lines = append(lines, m.fit(indent+m.spin.View()+st.Subtle.Render(loading)))
	}
	if err != nil {
		kind, reason := pane.ErrText(err)
		lines = append(lines, m.fit(indent+st.ErrorMsg.Render("✗ "+what+" "+kind+": ")+st.Plain.Render(reason)+
			st.Muted.Render(" — type the name")))
	}
	if !m.listOpen() {
		return lines
	}
	n := m.suggestMax()
	top := 0
	if sg.sel >= n {
		top = sg.sel - n + 1
	}
	// The column is as wide as the longest name on screen, so the
	// highlight reads as one row of a list, not a bar across the pane.
	w, col := max(1, m.width-formLabelWidth-2), 1
	for i := top; i < len(sg.matches) && i < top+n; i++ {
		col = max(col, min(w, ansi.StringWidth(sg.matches[i])))
	}
	for i := top; i < len(sg.matches) && i < top+n; i++ {
		name := ansi.Truncate(sg.matches[i], w, "…")
		if i == sg.sel {
			lines = append(lines, m.fit(indent+st.Selected.Render("› "+padRight(name, col))))
		} else {
			lines = append(lines, m.fit(indent+"  "+st.Plain.Render(name)))
		}
	}
	info := fmt.Sprintf("%d/%d %s", sg.sel+1, len(sg.matches), what)
	if sg.sel < 0 {
		info = fmt.Sprintf("%d %s, ↓ to choose", len(sg.matches), what)
	}
	if rest := len(sg.matches) - (top + n); rest > 0 {
		info += fmt.Sprintf(", %d more below", rest)
	}
	lines = append(lines, m.fit(indent+st.Muted.Render(info)))
	return lines
}
