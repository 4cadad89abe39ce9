package incidentpane

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
)

// The forms: a small stack of labelled inputs the incident view and the
// list open (write.go turns what was typed into a write).

// formKind is what a form writes.
type formKind int

const (
	formNote formKind = iota
	formMilestone
	formResolve
	formDeclare
	formFollowUp
	formCause
	formLink
)

// form is a small stack of labelled one-line inputs. A rejected write
// keeps the form open with everything typed, and says why.
type form struct {
	kind   formKind
	title  string
	labels []string
	inputs []textinput.Model
	focus  int
	err    string
	// key is the idempotency key of the request in lastReq: a retry of
	// the same request (after a timeout, say) reuses it, so it is never
	// recorded twice; a different request gets a new key.
	key     string
	lastReq string
}

func newField(r *lipgloss.Renderer, st Styles, placeholder string, width int) textinput.Model {
	ti := pane.NewInput(r, pane.InputStyle{Prompt: r.NewStyle(), Text: st.Input, Placeholder: st.Muted}, "", placeholder, 2000)
	ti.Width = max(1, width)
	return ti
}

// openForm builds a form of kind with the given labels, placeholders and
// initial values, focused on its first field.
func (m *Model) openForm(kind formKind, title string, fields ...[3]string) {
	f := &form{kind: kind, title: title}
	for _, fl := range fields {
		ti := newField(m.renderer, m.st, fl[1], m.fieldWidth(fl[0]))
		ti.SetValue(fl[2])
		ti.CursorEnd()
		f.labels = append(f.labels, fl[0])
		f.inputs = append(f.inputs, ti)
	}
	f.inputs[0].Focus()
	m.form = f
}

// declareForm opens the form that declares an incident, when the role
// allows it.
func (m *Model) declareForm() tea.Cmd {
	if m.store == nil {
		return nil
	}
	if err := incidents.Allowed(m.role, incidents.ActionDeclare); err != nil {
		m.flash = "✗ " + trimSentinel(err)
		return nil
	}
	m.openForm(formDeclare, "Declare an incident",
		[3]string{"title", "what is wrong, in a line", ""},
		[3]string{"severity", "SEV1 (worst) .. SEV5; default SEV3", ""},
		[3]string{"services", "api, web", ""},
		[3]string{"started", "when impact began: now, 10:04, 15m ago", ""})
	return nil
}

// fieldWidth is what is left of a line for an input after its indent,
// label, ": " and the cursor cell.
func (m *Model) fieldWidth(label string) int { return m.width - lipgloss.Width(label) - 6 }

func (f *form) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

func (f *form) setFocus(i int) {
	f.inputs[f.focus].Blur()
	f.focus = (i + len(f.inputs)) % len(f.inputs)
	f.inputs[f.focus].Focus()
}

// formKey drives the open form.
func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	f, k := m.form, m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.form = nil
		return nil
	case key.Matches(msg, k.Save):
		if m.write.Busy() {
			return nil
		}
		return m.submit()
	case key.Matches(msg, k.NextField):
		f.setFocus(f.focus + 1)
		return nil
	case key.Matches(msg, k.PrevField):
		f.setFocus(f.focus - 1)
		return nil
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return cmd
}
