package main

import (
	"context"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/histfile"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui"
)

type consoleFlags struct {
	theme string
	since time.Duration
	as    string
}

func addConsoleFlags(root *cobra.Command, f *consoleFlags) {
	root.Flags().StringVar(&f.theme, "theme", os.Getenv("RELTUI_THEME"), "colour theme: dark, light, high-contrast, no-color (env RELTUI_THEME; NO_COLOR forces no-color)")
	root.Flags().DurationVar(&f.since, "since", time.Hour, "initial time range, e.g. 15m, 6h")
	root.Flags().StringVar(&f.as, "as", "", asUsage)
}

// runConsole opens the console on the selected context.
func runConsole(g *globals, f *consoleFlags) error {
	if !isatty.IsTerminal(os.Stdout.Fd()) && !isatty.IsCygwinTerminal(os.Stdout.Fd()) {
		return &exitError{code: 2, msg: "the console needs a terminal on stdout; for scripts use the headless commands (reltui --help)"}
	}
	if f.since <= 0 {
		return &exitError{code: 2, msg: "--since must be positive"}
	}
	file, err := loadConfig(g)
	if err != nil {
		return &exitError{code: 1, msg: "invalid configuration:\n" + err.Error()}
	}
	name, c, err := file.Select(g.context)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	who, _, err := whoWrites(f.as, file)
	if err != nil {
		return err
	}
	var cats []string
	if file.Incidents != nil {
		cats = file.Incidents.Categories
	}
	bs, err := contextBackends(name, c)
	if err != nil {
		return err
	}
	defer bs.Close()

	r := lipgloss.NewRenderer(os.Stdout)
	pal, err := themes.ForTerminal(f.theme, os.Getenv("NO_COLOR") != "", r.ColorProfile() == termenv.Ascii)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	hist := histfile.New(os.Getenv)
	// The console works without an incident store; the Incidents pane then
	// says why it cannot open one.
	sctx, scancel := context.WithTimeout(context.Background(), storeTimeout)
	store, serr := openStore(sctx, g)
	scancel()
	if serr != nil {
		fmt.Fprintln(g.stderr, "reltui: warning: incidents unavailable: "+sanitizeLine(serr.Error()))
	} else {
		defer store.Close()
	}
	m := ui.New(ui.Deps{
		Logs:           bs.logSource(),
		Sources:        bs.sources(name, file.Path),
		Session:        ui.Session{User: who, Role: "commander", Incidents: store, Categories: cats},
		Clipboard:      os.Stdout,
		Contexts:       file.Names(),
		OpenContext:    openContextFunc(file),
		PaletteHistory: hist.Load("palette_history"),
		LogHistory:     hist.Load(bs.logHistoryKey()),
		CloseContext:   bs.Close,
		Context:        name,
		Backends:       bs.probes(),
		Range:          ui.LiveRange(f.since),
		Palette:        pal,
		Renderer:       r,
		Version:        versionString(),
	})
	defer m.Close()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(os.Stdout))
	_, err = p.Run()
	palHist, logHist := m.Histories()
	if herr := hist.Save("palette_history", palHist); herr != nil {
		fmt.Fprintln(g.stderr, "reltui: warning: "+sanitizeLine(herr.Error()))
	}
	if herr := hist.Save(bs.logHistoryKey(), logHist); herr != nil {
		fmt.Fprintln(g.stderr, "reltui: warning: "+sanitizeLine(herr.Error()))
	}
	return err
}

// openContextFunc opens another context of the same file for ":ctx".
func openContextFunc(file *config.File) func(string) (ui.ContextDeps, error) {
	return func(name string) (ui.ContextDeps, error) {
		n, c, err := file.Select(name)
		if err != nil {
			return ui.ContextDeps{}, err
		}
		bs, err := buildBackends(c, config.OSEnv())
		if err != nil {
			return ui.ContextDeps{}, fmt.Errorf("context %s: %w", n, err)
		}
		return ui.ContextDeps{Name: n, Backends: bs.probes(), Logs: bs.logSource(), Sources: bs.sources(n, file.Path), Close: bs.Close}, nil
	}
}
