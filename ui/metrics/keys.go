package metrics

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the Metrics pane's keys. None collide with the root's global
// keys (tab, digits, ?, :, [, ], +, =, -, q, p, ctrl+c, ctrl+r).
type KeyMap struct {
	// The charts.
	Left      key.Binding
	Right     key.Binding
	Start     key.Binding
	End       key.Binding
	NextChart key.Binding
	PrevChart key.Binding
	Service   key.Binding
	Mode      key.Binding

	// Exemplars and pivots.
	NextExemplar key.Binding
	PrevExemplar key.Binding
	OpenTrace    key.Binding
	NextChange   key.Binding
	PrevChange   key.Binding
	Logs         key.Binding
	Copy         key.Binding
	Link         key.Binding

	// Inputs: the PromQL editor and the service picker.
	Edit     key.Binding
	Run      key.Binding
	HistPrev key.Binding
	HistNext key.Binding
	Up       key.Binding
	Down     key.Binding
	// Back closes an input, then clears the exemplar, then the cursor.
	Back key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "cursor back")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "cursor on")),
		Start:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "cursor to start")),
		End:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "cursor to end")),
		NextChart: key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "next chart")),
		PrevChart: key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "previous chart")),
		Service:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "service")),
		Mode:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "signals/PromQL")),

		NextExemplar: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "next exemplar")),
		PrevExemplar: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "previous exemplar")),
		OpenTrace:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open exemplar trace")),
		NextChange:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "next change (deploy)")),
		PrevChange:   key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "previous change")),
		Logs:         key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "logs at cursor or change")),
		Copy:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy query")),
		Link:         key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "copy web UI link")),

		Edit:     key.NewBinding(key.WithKeys("i", "/"), key.WithHelp("i", "PromQL")),
		Run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		HistPrev: key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older query")),
		HistNext: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer query")),
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Service, k.Mode, k.NextChart, k.PrevChart, k.Edit, k.Copy, k.Link},
		{k.Left, k.Right, k.Start, k.End, k.Back},
		{k.NextExemplar, k.PrevExemplar, k.OpenTrace, k.NextChange, k.PrevChange, k.Logs},
		{k.Run, k.HistPrev, k.HistNext},
	}
}
