package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/pane"
)

// paletteCommand is one verb of the ":" palette.
type paletteCommand struct {
	name, args, help string
}

// paletteCommands are the verbs, in the order suggestions show them.
//
// Every pane is reached by its name; an argument, where a pane takes one,
// also runs it there.
var paletteCommands = []paletteCommand{
	{"logs", "[QUERY]", "show the Logs pane; with a query (LogQL or LogsQL), run it"},
	{"metrics", "[QUERY]", "show the Metrics pane; with a PromQL query, chart it"},
	{"traces", "[TRACE-ID]", "show the Traces pane; with an id, open that trace"},
	{"request", "[ID]", "show the Request pane; with a request or trace id, open it"},
	{"slos", "", "show the SLOs pane"},
	{"lag", "", "show the consumer Lag pane"},
	{"alerts", "", "show the Alerts pane"},
	{"incidents", "", "show the Incidents pane"},
	{"range", "5m…30d | live | FROM TO", "set the time range"},
	{"ctx", "NAME", "switch context (drops all per-context state)"},
	{"theme", "dark|light|high-contrast|no-color", "switch colours"},
	{"trace", "ID", "open a trace (as :traces ID)"},
	{"status", "", "show every backend's state and last good answer"},
	{"help", "", "show all keys"},
	{"q", "", "quit"},
}

// paletteKeyMap holds the palette's own keys.
type paletteKeyMap struct {
	Open     key.Binding
	Run      key.Binding
	Complete key.Binding
	Prev     key.Binding
	Next     key.Binding
	Cancel   key.Binding
}

func defaultPaletteKeyMap() paletteKeyMap {
	return paletteKeyMap{
		Open:     pane.Bind(":", "command"),
		Run:      pane.Bind("enter", "run"),
		Complete: pane.Bind("tab", "complete"),
		Prev:     pane.Bind("↑", "older", "up", "ctrl+p"),
		Next:     pane.Bind("↓", "newer", "down", "ctrl+n"),
		Cancel:   pane.Bind("esc", "close"),
	}
}

// palette is the ":" command line with autosuggest and history.
type palette struct {
	keys    paletteKeyMap
	input   textinput.Model
	open    bool
	history pane.History
	// names for argument suggestions, refreshed by the root.
	contexts []string
}

// paletteRunMsg is a command the user entered.
type paletteRunMsg struct {
	verb, arg string
}

// maxHistory bounds the persisted history.
const maxHistory = 200

func newPalette(r *lipgloss.Renderer, st Styles) palette {
	ti := pane.NewInput(r, pane.InputStyle{Prompt: st.HeaderVal, Text: r.NewStyle(), Placeholder: st.Muted}, ":",
		"logs {service=\"api\"} |= \"timeout\"   range 6h   ctx NAME   theme light   q", 4096)
	return palette{keys: defaultPaletteKeyMap(), input: ti, history: pane.NewHistory(maxHistory)}
}

func (p *palette) show() tea.Cmd {
	p.open = true
	p.history.Set(p.history.Entries()) // a walk left open starts over
	p.input.SetValue("")
	return p.input.Focus()
}

func (p *palette) hide() {
	p.open = false
	p.input.Blur()
}

// update handles a key while the palette is open.
func (p *palette) update(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		p.hide()
		return nil
	case key.Matches(msg, p.keys.Run):
		line := strings.TrimSpace(p.input.Value())
		p.hide()
		if line == "" {
			return nil
		}
		p.history.Add(line)
		verb, arg, _ := strings.Cut(line, " ")
		run := paletteRunMsg{verb: verb, arg: strings.TrimSpace(arg)}
		return func() tea.Msg { return run }
	case key.Matches(msg, p.keys.Complete):
		p.complete()
		return nil
	case key.Matches(msg, p.keys.Prev):
		p.walk(-1)
		return nil
	case key.Matches(msg, p.keys.Next):
		p.walk(1)
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// walk shows the command d steps older (-1) or newer (+1) in the
// history; past the newest is what was typed before walking.
func (p *palette) walk(d int) {
	if text, ok := p.history.Move(d, p.input.Value()); ok {
		p.input.SetValue(text)
		p.input.CursorEnd()
	}
}

// suggestions completes the verb, or the argument of verbs with a known
// set of values, from what is typed so far.
func (p *palette) suggestions() []string {
	v := p.input.Value()
	verb, arg, hasArg := strings.Cut(v, " ")
	var out []string
	if !hasArg {
		for _, c := range paletteCommands {
			if strings.HasPrefix(c.name, verb) {
				out = append(out, c.name)
			}
		}
		return out
	}
	var pool []string
	switch verb {
	case "ctx":
		pool = p.contexts
	case "theme":
		pool = themes.Names()
	case "range":
		pool = []string{"5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h", "2d", "7d", "30d", "live"}
	}
	for _, s := range pool {
		if strings.HasPrefix(s, strings.TrimSpace(arg)) {
			out = append(out, verb+" "+s)
		}
	}
	return out
}

// view renders the input line and a line of suggestions above it.
func (p *palette) view(st Styles, width int) (hint, line string) {
	p.input.Width = max(10, width-3)
	sugg := p.suggestions()
	var parts []string
	for i, s := range sugg {
		if i >= 8 {
			break
		}
		label := s
		if !strings.Contains(s, " ") {
			for _, c := range paletteCommands {
				if c.name == s && c.args != "" {
					label += " " + c.args
				}
			}
		}
		if i == 0 {
			parts = append(parts, st.HelpKey.Render(label))
		} else {
			parts = append(parts, st.Muted.Render(label))
		}
	}
	hint = st.Muted.Render("tab completes · ↑/↓ history · esc closes   ") + strings.Join(parts, st.Muted.Render("  "))
	return lipgloss.NewStyle().MaxWidth(width).Render(hint), lipgloss.NewStyle().MaxWidth(width).Render(p.input.View())
}

// parseRange reads ":range" arguments: a preset span ("6h"), "live", or an
// absolute "FROM TO" / "FROM..TO" in any timespec form.
func parseRange(arg string, cur TimeRange, now time.Time) (TimeRange, error) {
	arg = strings.TrimSpace(arg)
	switch {
	case arg == "" || arg == "live":
		return LiveRange(cur.Span), nil
	case strings.Contains(arg, "..") || strings.Count(arg, " ") == 1 && !strings.HasSuffix(arg, " ago"):
		sep := ".."
		if !strings.Contains(arg, "..") {
			sep = " "
		}
		a, b, _ := strings.Cut(arg, sep)
		from, err := timespec.ParseTime(a, now)
		if err != nil {
			return cur, err
		}
		to, err := timespec.ParseTime(b, now)
		if err != nil {
			return cur, err
		}
		if !from.Before(to) {
			return cur, errRange("the range is empty: FROM must be before TO")
		}
		if !to.Before(now) {
			return LiveRange(to.Sub(from)), nil
		}
		return TimeRange{Span: to.Sub(from), End: to}, nil
	}
	d, err := timespec.ParseDuration(arg)
	if err != nil {
		return cur, err
	}
	if d < time.Minute || d > 90*24*time.Hour {
		return cur, errRange("a range must be between 1m and 90d")
	}
	return LiveRange(d), nil
}

type errRange string

func (e errRange) Error() string { return string(e) }

// complete fills in what the suggestions share: the whole suggestion when
// there is one (or they share no more than what is typed), else their
// longest common prefix, so "in" becomes "incidents " and "tr" becomes
// "trace".
func (p *palette) complete() {
	s := p.suggestions()
	if len(s) == 0 {
		return
	}
	common := s[0]
	for _, c := range s[1:] {
		n := 0
		for n < len(common) && n < len(c) && common[n] == c[n] {
			n++
		}
		common = common[:n]
	}
	if len(s) > 1 && len(common) > len(strings.TrimRight(p.input.Value(), " ")) {
		p.input.SetValue(common)
	} else {
		p.input.SetValue(s[0] + " ")
	}
	p.input.CursorEnd()
}
