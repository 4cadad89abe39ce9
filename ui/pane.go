package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Pane is one screen of the console. Each pane owns its state, keymap and
// async work; the root only routes messages to it and gives it a size.
type Pane interface {
	screen
	Update(tea.Msg) (Pane, tea.Cmd)
}

// screen is what a pane has besides its Update: a pane package's model
// (see model) has the same, with an Update that returns its own type.
type screen interface {
	Title() string
	Init() tea.Cmd
	View() string
	SetSize(width, height int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// comingSoon stands in for a pane a later issue builds. It says so plainly
// and shows the backend status, which is what still works.
type comingSoon struct {
	title, what   string
	width, height int
	styles        Styles
	status        func(width int) string
}

func newComingSoon(title, what string, env PaneEnv) *comingSoon {
	return &comingSoon{title: title, what: what, styles: NewStyles(env.Renderer, env.Palette), status: env.Status, width: env.Width, height: env.Height}
}

func (p *comingSoon) Title() string                  { return p.title }
func (p *comingSoon) Init() tea.Cmd                  { return nil }
func (p *comingSoon) Update(tea.Msg) (Pane, tea.Cmd) { return p, nil }
func (p *comingSoon) SetSize(w, h int)               { p.width, p.height = w, h }
func (p *comingSoon) ShortHelp() []key.Binding       { return nil }
func (p *comingSoon) FullHelp() [][]key.Binding      { return nil }

func (p *comingSoon) View() string {
	var b strings.Builder
	b.WriteString(p.styles.Title.Render(p.title) + p.styles.Muted.Render(" — coming soon") + "\n")
	b.WriteString(p.styles.Subtle.Render(wrapText(p.what, max(20, p.width-2))) + "\n\n")
	if p.status != nil {
		b.WriteString(p.status(p.width))
	}
	return lipgloss.NewStyle().MaxHeight(p.height).Render(b.String())
}

// wrapText wraps plain text at width on spaces.
func wrapText(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && lipgloss.Width(line)+1+lipgloss.Width(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
