package logs

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Labeler is implemented by a Source that can list the stream labels
// Loki has. The pane then suggests a selector that exists in this Loki
// ({service=~".+"} on one, {service_name=~".+"} on another) instead of
// one that finds nothing.
type Labeler interface {
	Labels(ctx context.Context, from, to time.Time) ([]string, error)
}

// Labels lists the stream label names over [from, to).
func (s lokiSource) Labels(ctx context.Context, from, to time.Time) ([]string, error) {
	return s.c.Labels(ctx, from, to)
}

// serviceLabels are the labels that usually name a service, best first.
var serviceLabels = []string{"service_name", "service", "app", "application", "job", "container", "namespace"}

// labelsMsg carries the label the hints should use.
type labelsMsg struct {
	pane  string
	label string
}

func (labelsMsg) logsMsg() {}

// exampleSelector is a selector the hints offer.
func (m *Model) exampleSelector() string {
	return fmt.Sprintf("{%s=~%q}", m.hintLabel, ".+")
}

// hintCmd asks for the label names once, off the UI goroutine; a failure
// keeps the default hint.
func (m *Model) hintCmd() tea.Cmd {
	lb, ok := m.src.(Labeler)
	if !ok {
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
	m.editor.Placeholder = m.exampleSelector() + ` |= "error"`
}
