package serve

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui"
)

// Console returns the App that runs reltui's console in every session.
// base holds what sessions share (the context's clients, the log source
// with its shared tails, the backends' probes, the version); each session
// gets its own renderer, palette, clipboard, identity and a store guarded
// by its role. base.CloseContext must be nil: the shared clients outlive
// every session and are closed by the caller.
func Console(base ui.Deps, store incidents.Store) App {
	base.CloseContext = nil
	base.PaletteHistory, base.LogHistory = nil, nil
	return func(s *Session) (tea.Model, func()) {
		m := ui.New(consoleDeps(base, store, s))
		return m, m.Close
	}
}

// consoleDeps is one session's copy of base: its renderer, palette,
// clipboard and identity, and the store guarded by its role so no screen
// can forget the check.
func consoleDeps(base ui.Deps, store incidents.Store, s *Session) ui.Deps {
	d := base
	d.Renderer = s.Renderer
	d.Palette = SessionPalette(s)
	if s.Output != nil {
		d.Clipboard = s.Output
	}
	d.Session = ui.Session{User: s.User, Role: string(s.Role)}
	if store != nil {
		d.Session.Incidents = incidents.Guard(store, s.Role)
	}
	return d
}

// SessionPalette picks a session's theme: NO_COLOR or a terminal without
// colour gets no colour, RELTUI_THEME (if the client sends it) names a
// theme, otherwise dark or light follows the terminal's background.
func SessionPalette(s *Session) themes.Palette {
	name := s.Getenv("RELTUI_THEME")
	noColor := s.Getenv("NO_COLOR") != ""
	ascii := s.Renderer == nil || s.Renderer.ColorProfile() == termenv.Ascii
	if name != "" || noColor || ascii {
		if p, err := themes.ForTerminal(name, noColor, ascii); err == nil {
			return p
		}
	}
	// No theme named, or an unknown one: the terminal's background picks.
	if !s.Renderer.HasDarkBackground() {
		return themes.Light()
	}
	return themes.Dark()
}
