package logs

import (
	"context"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// serviceLabels are the labels that usually name a service, best first.
var serviceLabels = []string{"service_name", "service", "app", "application", "job", "container", "namespace"}

// labelsMsg is the label the hints should use ("" keeps the default), the
// answer of the pane's labels request.
type labelsMsg = pane.Result[string]

// labelsTimeout bounds the one look-up of the label names.
const labelsTimeout = 5 * time.Second

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
	now := m.now()
	return m.labels.Start(m.ctx, func(ctx context.Context) (string, error) {
		names, err := lb.Labels(ctx, now.Add(-time.Hour), now)
		if err != nil {
			return "", err
		}
		for _, want := range serviceLabels {
			if slices.Contains(names, want) {
				return want, nil
			}
		}
		return "", nil
	})
}

// setHintLabel updates every hint that names a selector.
func (m *Model) setHintLabel(label string) {
	m.hintLabel = label
	m.editor.Placeholder = m.dialect().Contains(m.exampleSelector(), "error")
}
