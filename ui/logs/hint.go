package logs

import (
	"context"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// serviceLabels are the labels that usually name a service, best first.
var serviceLabels = []string{"service_name", "service", "app", "application", "job", "container", "namespace"}

// labelsMsg carries the label the hints should use.
type labelsMsg struct {
	pane  string
	label string
}

// PaneID implements pane.Routed.
func (m labelsMsg) PaneID() string { return m.pane }

// exampleSelector is a selector the hints offer.
func (m *Model) exampleSelector() string {
	return m.dialect().Stream(m.hintLabel, "")
}

// hintCmd asks for the label names once, off the UI goroutine; a failure
// keeps the default hint.
func (m *Model) hintCmd() tea.Cmd {
	lb := m.src
	if lb == nil {
		return nil
	}
	ctx, pane, now := m.ctx, m.id, m.now()
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		names, err := lb.Labels(cctx, now.Add(-time.Hour), now)
		if err != nil {
			return nil
		}
		for _, want := range serviceLabels {
			if slices.Contains(names, want) {
				return labelsMsg{pane: pane, label: want}
			}
		}
		return nil
	}
}

// setHintLabel updates every hint that names a selector.
func (m *Model) setHintLabel(label string) {
	m.hintLabel = label
	m.editor.Placeholder = m.dialect().Contains(m.exampleSelector(), "error")
}
