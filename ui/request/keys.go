package request

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the Request pane's keys, as data. None collides with the
// root's reserved keys (tab, digits, ?, :, [, ], +, =, -, q, p, ctrl+r).
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	NextSvc  key.Binding
	PrevSvc  key.Binding

	// Open pivots: a span to its trace, a line to the logs around it, a
	// service heading to that service's logs over the window.
	Open key.Binding
	// SpanLogs pivots from a span to the logs written in it.
	SpanLogs key.Binding
	Copy     key.Binding
	// Link copies a link to the same request in the team's web UI.
	Link   key.Binding
	Filter key.Binding

	Edit key.Binding
	Run  key.Binding
	// Back leaves the input or clears the filter.
	Back key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		NextSvc:  key.NewBinding(key.WithKeys("J", "}"), key.WithHelp("J", "next service")),
		PrevSvc:  key.NewBinding(key.WithKeys("K", "{"), key.WithHelp("K", "prev service")),

		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open (span→trace, line→logs)")),
		SpanLogs: key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "logs of span/service")),
		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Link:     key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "copy web UI link")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),

		Edit: key.NewBinding(key.WithKeys("i", "e"), key.WithHelp("i", "enter an id")),
		Run:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.NextSvc, k.PrevSvc},
		{k.Open, k.SpanLogs, k.Copy, k.Link, k.Filter},
		{k.Edit, k.Run, k.Back},
	}
}
