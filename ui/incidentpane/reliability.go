package incidentpane

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// statsWindow and recurWithin are the list's recurrence line: the same
// defaults `reltui incident stats` uses.
const (
	statsWindow = 90 * 24 * time.Hour
	recurWithin = 30 * 24 * time.Hour
)

func (m *Model) openFollowUpForm() {
	m.openForm(formFollowUp, "Add a follow-up to "+incidents.Ref(m.inc.ID),
		[3]string{"action", "what must change so this does not happen again", ""},
		[3]string{"owner", "who will do it", ""},
		[3]string{"due", "2026-12-20, or empty", ""})
}

func (m *Model) openCauseForm() {
	kind := string(m.inc.Kind)
	m.openForm(formCause, "Cause, kind and services of "+incidents.Ref(m.inc.ID),
		[3]string{"root cause", strings.Join(m.categories(), ", "), m.inc.Category},
		[3]string{"kind", "incident, drill or maintenance", kind},
		[3]string{"services", "implicated services, comma-separated", strings.Join(m.inc.Services, ", ")})
}

func (m *Model) categories() []string {
	if len(m.cats) > 0 {
		return m.cats
	}
	return incidents.DefaultCategories()
}

func (m *Model) openLinkForm() {
	id := ""
	if sug := m.suggestedDeploys(); len(sug) > 0 {
		id = strconv.FormatInt(sug[0].ID, 10)
	}
	m.openForm(formLink, "Link "+incidents.Ref(m.inc.ID)+" to the deploy that caused it",
		[3]string{"deploy", "a deploy id (reltui incident deploys lists them)", id})
}

// suggestedDeploys are the deploys of the incident's services shortly
// before it started that nobody has linked yet.
func (m *Model) suggestedDeploys() []incidents.Deploy {
	return incidents.SuggestDeploys(m.inc, m.deploys, incidents.DefaultSuggestWindow)
}

// reliabilityWrite builds the write of a follow-up, cause or link form.
func (m *Model) reliabilityWrite(f *form, now time.Time) (incidents.Write, error) {
	if f.kind == formLink {
		id, err := strconv.ParseInt(strings.TrimPrefix(f.value(0), "#"), 10, 64)
		if err != nil || id <= 0 {
			return incidents.Write{}, errors.New("type a deploy id, e.g. 12")
		}
		return incidents.Write{Kind: incidents.KindDeployLink, Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: id}}}, nil
	}
	if f.kind == formFollowUp {
		if f.value(0) == "" {
			return incidents.Write{}, errors.New("type the action first")
		}
		due, err := parseAt(f.value(2), now, m.loc)
		if err != nil {
			return incidents.Write{}, err
		}
		fu := incidents.FollowUp{Action: f.value(0), Owner: f.value(1), Due: due}
		return incidents.Write{Kind: incidents.KindFollowUp, Detail: &incidents.Detail{FollowUp: &fu}}, nil
	}
	a := incidents.Attributes{}
	if c := f.value(0); c != "" && c != m.inc.Category {
		cat, err := incidents.CheckCategory(c, m.categories())
		if err != nil {
			return incidents.Write{}, errors.New(trimSentinel(err))
		}
		a.Category = cat
	}
	if k := f.value(1); k != "" && k != string(m.inc.Kind) {
		kind, err := incidents.ParseKind(k)
		if err != nil {
			return incidents.Write{}, errors.New(trimSentinel(err))
		}
		a.Kind = kind
	}
	if svcs := splitList(f.value(2)); strings.Join(svcs, ",") != strings.Join(m.inc.Services, ",") {
		a.Services = svcs
	}
	if a.Category == "" && a.Kind == "" && a.Services == nil {
		return incidents.Write{}, errors.New("nothing changed")
	}
	return incidents.Write{Kind: incidents.KindUpdated, Attrs: &a}, nil
}

// causeLine is the incident's kind, root cause and follow-ups, or "" when
// there is nothing to say.
func (m *Model) causeLine() string {
	st := &m.st
	inc := m.inc
	var parts []string
	if inc.Kind != incidents.KindIncident {
		parts = append(parts, st.WarnMsg.Render(string(inc.Kind))+st.Muted.Render(" (left out of MTTx)"))
	}
	cause := st.Pending.Render("not set (c)")
	if inc.Category != "" {
		cause = st.Plain.Render(sanitize.Line(inc.Category))
	}
	parts = append(parts, st.Label.Render("cause")+" "+cause)
	if n := len(inc.FollowUps); n > 0 {
		open := inc.OpenFollowUps()
		s := fmt.Sprintf("%d of %d open", len(open), n)
		if len(open) > 0 {
			s += ": " + sanitize.Line(open[0].Action)
			if open[0].Owner != "" {
				s += " (" + sanitize.Line(open[0].Owner) + ")"
			}
		}
		parts = append(parts, st.Label.Render("follow-ups")+" "+st.Plain.Render(s))
	}
	for _, d := range inc.Deploys {
		parts = append(parts, st.Label.Render(d.Noun())+" "+st.Plain.Render(sanitize.Line(fmt.Sprintf("#%d %s %s", d.DeployID, d.Service, d.Version))))
	}
	if sug := m.suggestedDeploys(); len(sug) > 0 && !inc.Milestones.Started.IsZero() {
		d := sug[0]
		parts = append(parts, st.WarnMsg.Render("suggested deploy")+" "+st.Plain.Render(sanitize.Line(fmt.Sprintf("#%d %s %s, %s before (L links)",
			d.ID, d.Service, d.Version, incidents.FormatDuration(inc.Milestones.Started.Sub(d.At))))))
	}
	return strings.Join(parts, st.Muted.Render(" · "))
}

// recurrenceLine sums up the list: incidents in the last 90 days, how
// many recurred, the top root cause, change failure rate and rollbacks
// (when deploys are recorded), and drills left out.
func (m *Model) recurrenceLine() string {
	st := &m.st
	to := m.now()
	from := to.Add(-statsWindow)
	kinds := []incidents.Kind{incidents.KindIncident}
	r := incidents.Recur(m.all, kinds, from, to, recurWithin)
	prev := incidents.Recur(m.all, kinds, from.Add(-statsWindow), from, recurWithin)
	if r.Count == 0 && prev.Count == 0 {
		return ""
	}
	top, topN := "", 0
	for c, n := range r.ByCategory {
		if c == incidents.Uncategorized {
			continue
		}
		if n > topN || (n == topN && c < top) {
			top, topN = c, n
		}
	}
	s := fmt.Sprintf("90d: %d (%+d)", r.Count, r.Count-prev.Count)
	if top != "" {
		s += fmt.Sprintf(" · top cause %s %d", sanitize.Line(top), topN)
	}
	if r.Share != nil {
		s += fmt.Sprintf(" · %.0f%% recurred ≤30d", *r.Share*100)
	}
	if c := incidents.ChangeFailureRate(m.allDeploys, m.all, kinds, from, to); c.Rate != nil {
		s += fmt.Sprintf(" · CFR %.0f%% · rollbacks %d", *c.Rate*100, c.Rollbacks)
	}
	if _, ex := incidents.OfKinds(incidents.InPeriod(m.all, from, to), kinds); len(ex) > 0 {
		n := 0
		for _, v := range ex {
			n += v
		}
		s += fmt.Sprintf(" · %d drill/maint. apart", n)
	}
	return st.Muted.Render(s)
}

// openRunbook asks the root to open, in the Alerts pane, the runbook of
// the alert this incident was declared from (or last attached), so the
// steps marked there go on this incident.
func (m *Model) openRunbook() tea.Cmd {
	if !m.hasInc {
		return nil
	}
	refs := alertnoise.AlertRefs(m.inc)
	for i := len(refs) - 1; i >= 0; i-- {
		if name := refs[i]["alertname"]; name != "" {
			pivot := pane.RunbookPivot(name, refs[i]["service"], m.inc.ID)
			return func() tea.Msg { return pivot }
		}
	}
	m.flash = "no alert is evidence on " + incidents.Ref(m.inc.ID) + ": its runbook cannot be found"
	return nil
}
