package incidents

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/reltui/reltui/sources/sanitize"
)

// View is the JSON shape of one incident, shared by `incident show
// --output json` and `incident export --format json` so scripts see one
// schema.
type View struct {
	ID         int64          `json:"id"`
	Ref        string         `json:"ref"`
	Title      string         `json:"title"`
	Severity   Severity       `json:"severity"`
	Status     Status         `json:"status"`
	Services   []string       `json:"services"`
	Commander  string         `json:"commander"`
	DeclaredAt time.Time      `json:"declared_at"`
	DeclaredBy string         `json:"declared_by"`
	Kind       Kind           `json:"kind"`
	Category   string         `json:"category"`
	Milestones MilestonesView `json:"milestones"`
	FollowUps  []FollowUp     `json:"follow_ups"`
	Deploys    []DeployLink   `json:"deploys"`
	// SuggestedDeploys are deploys of the incident's services shortly
	// before it started that nobody has linked yet (show only).
	SuggestedDeploys []Deploy `json:"suggested_deploys,omitempty"`
	// Events is the timeline; list output leaves it out.
	Events      []Event  `json:"events,omitempty"`
	MTTDSeconds *float64 `json:"mttd_seconds"`
	MTTASeconds *float64 `json:"mtta_seconds"`
	MTTISeconds *float64 `json:"mtti_seconds"`
	MTTMSeconds *float64 `json:"mttm_seconds"`
	MTTRSeconds *float64 `json:"mttr_seconds"`
}

// MilestonesView is the JSON shape of the milestones; null when unset.
type MilestonesView struct {
	Started      *time.Time `json:"started"`
	Detected     *time.Time `json:"detected"`
	Acknowledged *time.Time `json:"acknowledged"`
	Identified   *time.Time `json:"identified"`
	Mitigated    *time.Time `json:"mitigated"`
	Resolved     *time.Time `json:"resolved"`
}

// NewView builds the JSON view of inc.
func NewView(inc Incident) View {
	v := View{
		ID: inc.ID, Ref: Ref(inc.ID), Title: inc.Title, Severity: inc.Severity, Status: inc.Status(),
		Services: inc.Services, Commander: inc.Commander, DeclaredAt: inc.DeclaredAt, DeclaredBy: inc.DeclaredBy,
		Kind: inc.Kind, Category: inc.Category, FollowUps: inc.FollowUps, Deploys: inc.Deploys,
		Events: inc.Events,
	}
	if v.FollowUps == nil {
		v.FollowUps = []FollowUp{}
	}
	if v.Deploys == nil {
		v.Deploys = []DeployLink{}
	}
	if v.Services == nil {
		v.Services = []string{}
	}
	if v.Events == nil {
		v.Events = []Event{}
	}
	ptr := func(m Milestone) *time.Time {
		if t := inc.Milestones.Get(m); !t.IsZero() {
			return &t
		}
		return nil
	}
	v.Milestones = MilestonesView{ptr(Started), ptr(Detected), ptr(Acknowledged), ptr(Identified), ptr(Mitigated), ptr(Resolved)}
	secs := func(m Metric) *float64 {
		if d, ok := inc.Duration(m); ok {
			return Seconds(d)
		}
		return nil
	}
	v.MTTDSeconds, v.MTTASeconds, v.MTTISeconds, v.MTTMSeconds, v.MTTRSeconds = secs(MTTD), secs(MTTA), secs(MTTI), secs(MTTM), secs(MTTR)
	return v
}

// Seconds is d in seconds, to the microsecond the stores keep.
func Seconds(d time.Duration) *float64 {
	s := math.Round(d.Seconds()*1e6) / 1e6
	return &s
}

// Entry is one timeline line for people: the event and what it did.
type Entry struct {
	Event
	Summary string
	// Happened is when what the event records happened, when that is
	// not when it was recorded (a milestone set afterwards, a note
	// written up later); zero otherwise.
	Happened time.Time
}

// happened is the event's second clock, or zero when it has one clock.
func happened(e Event) time.Time {
	t := e.Occurred
	if e.Kind == KindMilestone {
		t = e.At
	}
	// Within a second of the record is the same moment to a reader.
	if d := e.Time.Sub(t); t.IsZero() || (d < time.Second && d > -time.Second) {
		return time.Time{}
	}
	return t
}

// Timeline describes each event in words, e.g. "detected moved from
// 10:04:00 to 09:58:00: paging lagged". Outside text is sanitized.
func Timeline(inc Incident) []Entry {
	var ms Milestones
	out := make([]Entry, 0, len(inc.Events))
	for _, e := range inc.Events {
		var s string
		switch e.Kind {
		case KindDeclared:
			s = "declared"
			if a := e.Attrs; a != nil {
				s = fmt.Sprintf("declared %q (%s)", a.Title, a.Severity)
				if a.Kind != "" && a.Kind != KindIncident {
					s = fmt.Sprintf("declared %s %q (%s)", a.Kind, a.Title, a.Severity)
				}
				if a.Category != "" {
					s += ", root cause " + a.Category
				}
				if len(a.Services) > 0 {
					s += ", services " + strings.Join(a.Services, ", ")
				}
				if a.Commander != "" {
					s += ", commander " + a.Commander
				}
			}
		case KindUpdated:
			var parts []string
			if a := e.Attrs; a != nil {
				if a.Title != "" {
					parts = append(parts, fmt.Sprintf("title %q", a.Title))
				}
				if a.Severity != "" {
					parts = append(parts, "severity "+string(a.Severity))
				}
				if a.Services != nil {
					parts = append(parts, "services "+strings.Join(a.Services, ", "))
				}
				if a.Commander != "" {
					parts = append(parts, "commander "+a.Commander)
				}
				if a.Kind != "" {
					parts = append(parts, "kind "+string(a.Kind))
				}
				if a.Category != "" {
					parts = append(parts, "root cause "+a.Category)
				}
			}
			s = "set " + strings.Join(parts, ", ")
		case KindMilestone:
			if prev := ms.Get(e.Milestone); prev.IsZero() {
				s = fmt.Sprintf("%s at %s", e.Milestone, FormatTime(e.At))
			} else {
				s = fmt.Sprintf("%s moved from %s to %s", e.Milestone, FormatTime(prev), FormatTime(e.At))
			}
			ms.set(e.Milestone, e.At)
			if sg := suggestionOf(e); sg != nil {
				s += suggestionWords(*sg, e)
			}
		case KindFollowUp:
			s = followUpWords(e)
		case KindDeployLink:
			s = deployLinkWords(e)
		case KindNote:
			s = "note"
		case KindEvidence:
			s = "evidence"
			if ev := e.Evidence; ev != nil {
				s = fmt.Sprintf("evidence: %s from %s", ev.Kind, orDash(ev.Source))
			}
		default:
			s = string(e.Kind)
		}
		if e.Text != "" {
			s += ": " + e.Text
		}
		out = append(out, Entry{Event: e, Summary: sanitize.Line(s), Happened: happened(e)})
	}
	return out
}

// FormatDuration shows a duration the way a postmortem reader wants it:
// "45s", "12m30s", "3h05m", "2d04h".
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Second)
	var s string
	switch {
	case d < time.Minute:
		s = fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		s = fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 24*time.Hour:
		s = fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		s = fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
	if neg {
		return "-" + s
	}
	return s
}

// Markdown renders a postmortem skeleton: the facts the record holds
// (milestones, MTTx, the timeline, the evidence with links) and headed
// blanks for what only people can write (summary, impact, action items).
func Markdown(inc Incident) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# %s: %s\n\n", Ref(inc.ID), mdText(inc.Title))
	w("| | |\n|---|---|\n")
	w("| Severity | %s |\n", mdCell(string(inc.Severity)))
	w("| Status | %s |\n", inc.Status())
	w("| Services | %s |\n", mdCell(orDash(strings.Join(inc.Services, ", "))))
	w("| Commander | %s |\n", mdCell(orDash(inc.Commander)))
	w("| Kind | %s |\n", inc.Kind)
	w("| Root cause | %s |\n", mdCell(orDash(inc.Category)))
	if len(inc.Deploys) > 0 {
		var ds []string
		for _, d := range inc.Deploys {
			ds = append(ds, fmt.Sprintf("#%d %s %s at %s", d.DeployID, d.Service, d.Version, FormatTime(d.At)))
		}
		w("| Linked deploys | %s |\n", mdCell(strings.Join(ds, "; ")))
	}
	w("| Declared | %s by %s |\n\n", FormatTime(inc.DeclaredAt), mdCell(inc.DeclaredBy))

	w("## Summary\n\n_What happened and why, in two or three sentences._\n\n")

	w("## Impact\n\n")
	for _, m := range AllMilestones() {
		w("- %s: %s\n", milestoneLabel(m), FormatTime(inc.Milestones.Get(m)))
	}
	if st := inc.Milestones.Started; !st.IsZero() {
		if end := inc.Milestones.Resolved; !end.IsZero() {
			w("- Duration of impact: %s\n", FormatDuration(end.Sub(st)))
		} else {
			w("- Duration of impact: ongoing\n")
		}
	}
	w("\n_Who was affected, how badly, and for how long._\n\n")

	w("## MTTx\n\n| Metric | Value | Definition |\n|---|---|---|\n")
	for _, m := range AllMetrics() {
		val := "n/a"
		if d, ok := inc.Duration(m); ok {
			val = FormatDuration(d)
		}
		from, to := m.Bounds()
		w("| %s | %s | %s − %s |\n", strings.ToUpper(string(m)), val, to, from)
	}

	w("\n## Timeline\n\nAll times UTC. Every change is listed; nothing in this record is overwritten. ")
	w("*Happened* is given when it differs from when the event was recorded.\n\n")
	w("| # | Happened | Recorded | Author | Event |\n|---|---|---|---|---|\n")
	var evidence []Entry
	for _, e := range Timeline(inc) {
		hap := ""
		if !e.Happened.IsZero() {
			hap = FormatTime(e.Happened)
		}
		w("| %d | %s | %s | %s | %s |\n", e.Seq, hap, FormatTime(e.Time), mdCell(e.Author), mdCell(e.Summary))
		if e.Kind == KindEvidence && e.Evidence != nil {
			evidence = append(evidence, e)
		}
	}

	w("\n## Evidence\n\n")
	if len(evidence) == 0 {
		w("_None attached._\n")
	}
	for i, e := range evidence {
		ev := e.Evidence
		w("### E%d. %s from %s (event #%d)\n\n", i+1, ev.Kind, mdText(orDash(ev.Source)), e.Seq)
		if e.Text != "" {
			w("%s\n\n", mdText(e.Text))
		}
		if ev.Query != "" {
			w("- Query: %s\n", mdCode(ev.Query))
		}
		if !ev.From.IsZero() || !ev.To.IsZero() {
			w("- Window: %s to %s\n", FormatTime(ev.From), FormatTime(ev.To))
		}
		if ev.Link != "" {
			w("- Link: [open in Grafana Explore](%s)\n", strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(ev.Link))
		}
		if ev.Snapshot != "" {
			fence := "```"
			for strings.Contains(ev.Snapshot, fence) {
				fence += "`"
			}
			w("\n%s\n%s\n%s\n", fence, sanitize.Text(ev.Snapshot), fence)
		}
		w("\n")
	}

	w("\n## Action items\n\n| # | Action | Owner | Due | State |\n|---|---|---|---|---|\n")
	for _, f := range inc.FollowUps {
		due := "-"
		if !f.Due.IsZero() {
			due = f.Due.UTC().Format("2006-01-02")
		}
		w("| %d | %s | %s | %s | %s |\n", f.ID, mdCell(f.Action), mdCell(orDash(f.Owner)), due, f.State)
	}
	if len(inc.FollowUps) == 0 {
		w("| | | | | |\n")
	}
	return b.String()
}

func milestoneLabel(m Milestone) string {
	if m == Started {
		return "Impact began (started)"
	}
	return strings.ToUpper(string(m[:1])) + string(m[1:])
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// mdText makes outside text safe as Markdown prose on one line.
func mdText(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]")
	return r.Replace(sanitize.Line(s))
}

// mdCell is mdText that also cannot end a table cell.
func mdCell(s string) string { return strings.ReplaceAll(mdText(s), "|", "\\|") }

// mdCode wraps s in a backtick run longer than any inside it.
func mdCode(s string) string {
	s = sanitize.Line(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func suggestionOf(e Event) *Suggestion {
	if e.Detail == nil {
		return nil
	}
	return e.Detail.Suggestion
}

// suggestionWords says where a milestone came from and who confirmed it.
func suggestionWords(sg Suggestion, e Event) string {
	if sg.At.Equal(e.At) {
		return fmt.Sprintf(" (suggested: %s; confirmed by %s)", sg.Method, e.Author)
	}
	return fmt.Sprintf(" (suggested %s: %s; %s set it otherwise)", FormatTime(sg.At), sg.Method, e.Author)
}

func followUpWords(e Event) string {
	if e.Detail == nil || e.Detail.FollowUp == nil {
		return "follow-up"
	}
	f := e.Detail.FollowUp
	if f.ID == 0 {
		s := fmt.Sprintf("follow-up #%d: %s", e.Seq, f.Action)
		if f.Owner != "" {
			s += ", owner " + f.Owner
		}
		if !f.Due.IsZero() {
			s += ", due " + f.Due.UTC().Format("2006-01-02")
		}
		return s
	}
	var parts []string
	if f.State != "" {
		parts = append(parts, string(f.State))
	}
	if f.Owner != "" {
		parts = append(parts, "owner "+f.Owner)
	}
	if !f.Due.IsZero() {
		parts = append(parts, "due "+f.Due.UTC().Format("2006-01-02"))
	}
	return fmt.Sprintf("follow-up #%d: %s", f.ID, strings.Join(parts, ", "))
}

func deployLinkWords(e Event) string {
	if e.Detail == nil || e.Detail.Deploy == nil {
		return "deploy link"
	}
	d := e.Detail.Deploy
	if d.Unlink {
		return fmt.Sprintf("unlinked deploy #%d", d.DeployID)
	}
	return fmt.Sprintf("linked %s #%d: %s %s at %s", d.Noun(), d.DeployID, d.Service, d.Version, FormatTime(d.At))
}
