package incidentpane

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// statusFilters is the cycle of the list's status filter.
var statusFilters = []incidents.Status{"", incidents.StatusOpen, incidents.StatusMitigated, incidents.StatusResolved}

// reload re-reads the list, giving up on a read still out.
func (m *Model) reload() tea.Cmd {
	if m.store == nil {
		return nil
	}
	return tea.Batch(m.list.Start(m.ctx, listIncidents(m.store, m.now())), m.spin.Start())
}

// onList takes the list's answer; after an error the previous list stays
// on screen and m.list.Err says why.
func (m *Model) onList(msg pane.Result[listed]) tea.Cmd {
	if msg.Err == nil {
		keep := m.selectedID()
		m.all, m.allDeploys = msg.Value.incs, msg.Value.deploys
		m.filter(keep)
	}
	return nil
}

// filter rebuilds the rows from the filters, newest incident first, and
// keeps the selection on incident keep when it is still shown.
func (m *Model) filter(keep int64) {
	f := incidents.Filter{Status: statusFilters[m.statusIdx]}
	m.rows = m.rows[:0]
	for _, inc := range m.all {
		if f.Match(inc) && (m.sevFilter == "" || inc.Severity == m.sevFilter) && (m.textFilter.Value() == "" || m.textFilter.Match(searchText(inc))) {
			m.rows = append(m.rows, inc)
		}
	}
	slices.SortStableFunc(m.rows, func(a, b incidents.Incident) int {
		if ra, rb := statusRank(a), statusRank(b); ra != rb {
			return ra - rb
		}
		return int(b.ID - a.ID)
	})
	m.sel = 0
	for i, inc := range m.rows {
		if inc.ID == keep {
			m.sel = i
		}
	}
	m.clampList()
}

// searchText is what the text filter matches: the incident's id, title,
// services and commander, as the pane shows them, lower-cased.
func searchText(inc incidents.Incident) string {
	return strings.ToLower(sanitize.Line(strings.Join([]string{incidents.Ref(inc.ID), inc.Title, strings.Join(inc.Services, " "), inc.Commander}, " ")))
}

// statusRank puts what is still burning first.
func statusRank(inc incidents.Incident) int {
	switch inc.Status() {
	case incidents.StatusOpen:
		return 0
	case incidents.StatusMitigated:
		return 1
	}
	return 2
}

func (m *Model) listHeight() int {
	return max(1, m.height-4-len(m.formLines())-len(m.filterLines()))
}

func (m *Model) clampList() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.rows), m.listHeight())
}

func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	ev, cmd := m.textFilter.Update(msg)
	switch ev {
	case pane.FilterApplied:
		m.filter(m.selectedID())
	case pane.FilterCancelled:
		m.clampList()
	}
	return cmd
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if k.Navigate(msg, &m.sel, &m.top, len(m.rows), m.listHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Open):
		if m.sel < len(m.rows) {
			return m.openIncident(m.rows[m.sel].ID)
		}
	case key.Matches(msg, k.Status):
		m.statusIdx = (m.statusIdx + 1) % len(statusFilters)
		m.filter(m.selectedID())
	case key.Matches(msg, k.Severity):
		m.sevFilter = nextSeverity(m.sevFilter)
		m.filter(m.selectedID())
	case key.Matches(msg, k.Declare):
		return m.declareForm()
	case key.Matches(msg, k.Filter):
		cmd := m.textFilter.Open()
		m.clampList()
		return cmd
	case key.Matches(msg, k.Back):
		m.statusIdx, m.sevFilter = 0, ""
		m.textFilter.Clear()
		m.filter(m.selectedID())
	}
	m.clampList()
	return nil
}

func (m *Model) selectedID() int64 {
	if m.sel < len(m.rows) {
		return m.rows[m.sel].ID
	}
	return 0
}

func nextSeverity(s incidents.Severity) incidents.Severity {
	order := []incidents.Severity{"", "SEV1", "SEV2", "SEV3", "SEV4", "SEV5"}
	return order[(slices.Index(order, s)+1)%len(order)]
}
