package incidentpane

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestBuildGivesTheSessionsCategories: the categories the config
// allows reach the Incidents pane's root-cause form through the session.
func TestBuildGivesTheSessionsCategories(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "i.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inc, err := s.Declare(ctx, incidents.Declaration{Key: "k1", Author: "alice", Title: "checkout down"})
	if err != nil {
		t.Fatal(err)
	}
	p := Build(pane.Env{ID: "incidents", Renderer: lipgloss.NewRenderer(io.Discard), Palette: themes.NoColor(), Now: time.Now,
		Parent: ctx, Session: pane.Session{User: "alice", Role: "commander", Incidents: s, Categories: []string{"db-lock", "network"}}, Width: 120, Height: 40})
	defer p.Close()
	cmd := p.Pivot(pane.PivotMsg{Target: pane.TargetIncidents, Query: PivotQuery(inc.ID)})
	// The pane's own answers go back to it; the live feed's read, which
	// blocks, is left behind.
	panetest.Settle(p, cmd, 2*time.Second, func(msg tea.Msg) bool { _, ok := msg.(pane.Routed); return ok })
	if v := p.View(); !strings.Contains(v, "timeline") {
		t.Fatalf("the incident did not open:\n%s", v)
	}
	p, _ = p.Update(panetest.Key("c"))
	if v := p.View(); !strings.Contains(v, "root cause: db-lock, network") {
		t.Fatalf("the cause form does not offer the session's categories:\n%s", v)
	}
}
