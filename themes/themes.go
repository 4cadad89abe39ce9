// Package themes defines reltui's semantic palettes. A palette names what a
// colour means (primary, error, the span kinds), never where it is drawn;
// the ui package turns tokens into lipgloss styles for one session's
// renderer. This package is a leaf: it imports lipgloss only.
package themes

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Palette is one theme's semantic colour tokens.
type Palette struct {
	Name string
	// Mono is true for the no-colour theme: the ui must convey meaning
	// with text and attributes (bold, reverse, markers) alone.
	Mono bool

	Primary   lipgloss.TerminalColor
	Secondary lipgloss.TerminalColor
	Text      lipgloss.TerminalColor
	Subtle    lipgloss.TerminalColor
	Muted     lipgloss.TerminalColor
	Border    lipgloss.TerminalColor
	Selection lipgloss.TerminalColor // background of the selected row
	Highlight lipgloss.TerminalColor // background of filter matches

	OK      lipgloss.TerminalColor
	Warning lipgloss.TerminalColor
	Error   lipgloss.TerminalColor
	Info    lipgloss.TerminalColor
	Debug   lipgloss.TerminalColor

	// Span kinds for the waterfall.
	SpanServer   lipgloss.TerminalColor
	SpanClient   lipgloss.TerminalColor
	SpanInternal lipgloss.TerminalColor
	SpanProducer lipgloss.TerminalColor
	SpanConsumer lipgloss.TerminalColor
	CriticalPath lipgloss.TerminalColor
}

func ac(light, dark string) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: light, Dark: dark}
}

// Dark is the default theme, for dark terminals.
func Dark() Palette {
	return Palette{
		Name:      "dark",
		Primary:   lipgloss.Color("#7AA2F7"),
		Secondary: lipgloss.Color("#BB9AF7"),
		Text:      lipgloss.Color("#C0CAF5"),
		Subtle:    lipgloss.Color("#9AA5CE"),
		Muted:     lipgloss.Color("#565F89"),
		Border:    lipgloss.Color("#3B4261"),
		Selection: lipgloss.Color("#283457"),
		Highlight: lipgloss.Color("#E0AF68"),
		OK:        lipgloss.Color("#9ECE6A"),
		Warning:   lipgloss.Color("#E0AF68"),
		Error:     lipgloss.Color("#F7768E"),
		Info:      lipgloss.Color("#7DCFFF"),
		Debug:     lipgloss.Color("#565F89"),

		SpanServer:   lipgloss.Color("#7AA2F7"),
		SpanClient:   lipgloss.Color("#2AC3DE"),
		SpanInternal: lipgloss.Color("#9AA5CE"),
		SpanProducer: lipgloss.Color("#BB9AF7"),
		SpanConsumer: lipgloss.Color("#FF9E64"),
		CriticalPath: lipgloss.Color("#FF9E64"),
	}
}

// Light is for light terminal backgrounds.
func Light() Palette {
	return Palette{
		Name:      "light",
		Primary:   lipgloss.Color("#2E5CB8"),
		Secondary: lipgloss.Color("#7847BD"),
		Text:      lipgloss.Color("#1F2335"),
		Subtle:    lipgloss.Color("#4C505E"),
		Muted:     lipgloss.Color("#8990A3"),
		Border:    lipgloss.Color("#A8AECB"),
		Selection: lipgloss.Color("#D5DCF2"),
		Highlight: lipgloss.Color("#F2C94C"),
		OK:        lipgloss.Color("#387068"),
		Warning:   lipgloss.Color("#8C6C3E"),
		Error:     lipgloss.Color("#C3303C"),
		Info:      lipgloss.Color("#166775"),
		Debug:     lipgloss.Color("#8990A3"),

		SpanServer:   lipgloss.Color("#2E5CB8"),
		SpanClient:   lipgloss.Color("#166775"),
		SpanInternal: lipgloss.Color("#4C505E"),
		SpanProducer: lipgloss.Color("#7847BD"),
		SpanConsumer: lipgloss.Color("#965027"),
		CriticalPath: lipgloss.Color("#B15C00"),
	}
}

// HighContrast uses the 16 ANSI colours at full strength, which terminals
// map to their own high-contrast settings.
func HighContrast() Palette {
	return Palette{
		Name:      "high-contrast",
		Primary:   lipgloss.Color("14"),
		Secondary: lipgloss.Color("13"),
		Text:      ac("0", "15"),
		Subtle:    ac("0", "15"),
		Muted:     ac("8", "7"),
		Border:    ac("0", "15"),
		Selection: lipgloss.Color("4"),
		Highlight: lipgloss.Color("11"),
		OK:        lipgloss.Color("10"),
		Warning:   lipgloss.Color("11"),
		Error:     lipgloss.Color("9"),
		Info:      lipgloss.Color("14"),
		Debug:     ac("8", "7"),

		SpanServer:   lipgloss.Color("12"),
		SpanClient:   lipgloss.Color("14"),
		SpanInternal: ac("0", "15"),
		SpanProducer: lipgloss.Color("13"),
		SpanConsumer: lipgloss.Color("11"),
		CriticalPath: lipgloss.Color("9"),
	}
}

// NoColor has no colours at all; used for NO_COLOR and ASCII terminals.
func NoColor() Palette {
	n := lipgloss.NoColor{}
	return Palette{
		Name: "no-color", Mono: true,
		Primary: n, Secondary: n, Text: n, Subtle: n, Muted: n, Border: n, Selection: n, Highlight: n,
		OK: n, Warning: n, Error: n, Info: n, Debug: n,
		SpanServer: n, SpanClient: n, SpanInternal: n, SpanProducer: n, SpanConsumer: n, CriticalPath: n,
	}
}

var builtins = map[string]func() Palette{
	"dark":          Dark,
	"light":         Light,
	"high-contrast": HighContrast,
	"no-color":      NoColor,
}

// Names lists the built-in themes.
func Names() []string {
	out := make([]string, 0, len(builtins))
	for n := range builtins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ByName returns a built-in theme; "none" and "nocolor" mean no-color.
func ByName(name string) (Palette, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "", "default":
		n = "dark"
	case "none", "nocolor", "no-colour", "ascii":
		n = "no-color"
	case "hc":
		n = "high-contrast"
	}
	if f, ok := builtins[n]; ok {
		return f(), nil
	}
	return Palette{}, fmt.Errorf("unknown theme %q (have: %s)", name, strings.Join(Names(), ", "))
}
