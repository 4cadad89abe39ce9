package headless

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// The text of `reltui incident`'s commands. Every string a person typed
// or a backend sent passes sanitize.Line.

// orDash is s, or "-" for nothing.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteIncidentTable prints `incident list`: one row per incident, its
// duration so far ("+") when it is not resolved, as of now.
func WriteIncidentTable(w io.Writer, incs []incidents.Incident, now time.Time) error {
	return writeTable(w, "no incidents", "ID\tSEV\tSTATUS\tSTARTED\tDURATION\tTITLE", incs, func(inc incidents.Incident) string {
		dur := "-"
		if st := inc.Milestones.Started; !st.IsZero() {
			if end := inc.Milestones.Resolved; !end.IsZero() {
				dur = incidents.FormatDuration(end.Sub(st))
			} else {
				dur = incidents.FormatDuration(now.Sub(st)) + "+"
			}
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", incidents.Ref(inc.ID), inc.Severity, inc.Status(),
			incidents.FormatTime(inc.Milestones.Started), dur, sanitize.Line(inc.Title))
	})
}

// WriteIncidentText prints one incident: its attributes, milestones,
// MTTx, linked deploys, follow-ups and the whole timeline.
func WriteIncidentText(w io.Writer, inc incidents.Incident) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n", incidents.Ref(inc.ID), sanitize.Line(inc.Title))
	fmt.Fprintf(&b, "severity %s  status %s  commander %s  services %s\n", inc.Severity, inc.Status(),
		orDash(sanitize.Line(inc.Commander)), orDash(sanitize.Line(strings.Join(inc.Services, ", "))))
	fmt.Fprintf(&b, "kind %s  root cause %s\n", inc.Kind, orDash(sanitize.Line(inc.Category)))
	fmt.Fprintf(&b, "declared %s by %s\n\nmilestones\n", incidents.FormatTime(inc.DeclaredAt), sanitize.Line(inc.DeclaredBy))
	for _, m := range incidents.AllMilestones() {
		fmt.Fprintf(&b, "  %-13s %s\n", m, incidents.FormatTime(inc.Milestones.Get(m)))
	}
	b.WriteString("\n")
	for i, m := range incidents.AllMetrics() {
		val := "n/a"
		if d, ok := inc.Duration(m); ok {
			val = incidents.FormatDuration(d)
		}
		if i > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "%s %s", strings.ToUpper(string(m)), val)
	}
	b.WriteString("\n")
	for _, d := range inc.Deploys {
		fmt.Fprintf(&b, "\nlinked %s #%d %s %s at %s", d.Noun(), d.DeployID, sanitize.Line(d.Service), sanitize.Line(d.Version), incidents.FormatTime(d.At))
	}
	if len(inc.FollowUps) > 0 {
		b.WriteString("\n\nfollow-ups\n")
		for _, f := range inc.FollowUps {
			due := "-"
			if !f.Due.IsZero() {
				due = f.Due.UTC().Format("2006-01-02")
			}
			fmt.Fprintf(&b, "  #%-3d %-9s due %s  %s  %s\n", f.ID, f.State, due, orDash(sanitize.Line(f.Owner)), sanitize.Line(f.Action))
		}
	} else {
		b.WriteString("\n")
	}
	b.WriteString("\ntimeline (UTC; \"happened\" when it differs from when it was recorded)\n")
	for _, e := range incidents.Timeline(inc) {
		fmt.Fprintf(&b, "  #%-3d %s  %-10s %s\n", e.Seq, incidents.FormatTime(e.Time), sanitize.Line(e.Author), e.Summary)
		if !e.Happened.IsZero() {
			fmt.Fprintf(&b, "        happened %s\n", incidents.FormatTime(e.Happened))
		}
		if ev := e.Evidence; ev != nil {
			if ev.Query != "" {
				fmt.Fprintf(&b, "        query %s\n", sanitize.Line(ev.Query))
			}
			if ev.Link != "" {
				fmt.Fprintf(&b, "        link  %s\n", sanitize.Line(ev.Link))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDeclared is `incident declare`'s line about the new incident.
func WriteDeclared(w io.Writer, inc incidents.Incident) error {
	_, err := fmt.Fprintf(w, "declared %s: %s (%s), started %s\n", incidents.Ref(inc.ID), sanitize.Line(inc.Title), inc.Severity, incidents.FormatTime(inc.Milestones.Started))
	return err
}

// WriteEvent is the line of a write recorded on incident id: what it
// was and who recorded it.
func WriteEvent(w io.Writer, id int64, ev incidents.Event) error {
	what := strings.ReplaceAll(string(ev.Kind), "_", " ")
	switch ev.Kind {
	case incidents.KindMilestone:
		what = fmt.Sprintf("%s at %s", ev.Milestone, incidents.FormatTime(ev.At))
	case incidents.KindFollowUp:
		if fu := ev.Detail.FollowUp; fu.ID == 0 {
			what = fmt.Sprintf("follow-up #%d added", ev.Seq)
		} else {
			what = fmt.Sprintf("follow-up #%d %s", fu.ID, fu.State)
		}
	}
	_, err := fmt.Fprintf(w, "%s #%d: %s (recorded by %s)\n", incidents.Ref(id), ev.Seq, what, sanitize.Line(ev.Author))
	return err
}

// WriteSuggestedDeploys prints `incident show`'s suggestions: deploys to
// the incident's services shortly before it started, with the command
// that links one.
func WriteSuggestedDeploys(w io.Writer, inc incidents.Incident, deps []incidents.Deploy) error {
	for _, d := range deps {
		if _, err := fmt.Fprintf(w, "\nsuggested: deploy #%d %s %s at %s, %s before impact began (reltui incident link %d %d)\n", d.ID,
			sanitize.Line(d.Service), sanitize.Line(d.Version), incidents.FormatTime(d.At),
			incidents.FormatDuration(inc.Milestones.Started.Sub(d.At)), inc.ID, d.ID); err != nil {
			return err
		}
	}
	return nil
}

// WriteDeploy is `incident deploy`'s line about the recorded deploy.
func WriteDeploy(w io.Writer, d incidents.Deploy) error {
	_, err := fmt.Fprintf(w, "%s #%d: %s %s at %s (recorded by %s)\n", d.Noun(), d.ID, sanitize.Line(d.Service), sanitize.Line(d.Version), incidents.FormatTime(d.At), sanitize.Line(d.Author))
	return err
}

// WriteDeploys prints `incident deploys`: one row per recorded deploy.
func WriteDeploys(w io.Writer, v []incidents.Deploy) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAT\tSERVICE\tVERSION\tKIND\tBY")
	for _, x := range v {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", x.ID, incidents.FormatTime(x.At), sanitize.Line(x.Service), orDash(sanitize.Line(x.Version)), x.Noun(), sanitize.Line(x.Author))
	}
	return tw.Flush()
}

// WriteDueFollowUps prints `incident followup list`: the open follow-ups,
// as incidents.DueFollowUps orders them.
func WriteDueFollowUps(w io.Writer, v []incidents.DueFollowUp) error {
	return writeTable(w, "no open follow-ups", "INCIDENT\t#\tDUE\tOWNER\tACTION", v, func(x incidents.DueFollowUp) string {
		due := "-"
		if !x.FollowUp.Due.IsZero() {
			due = x.FollowUp.Due.UTC().Format("2006-01-02")
		}
		return fmt.Sprintf("%s\t%d\t%s\t%s\t%s", x.Incident, x.FollowUp.ID, due, orDash(sanitize.Line(x.FollowUp.Owner)), sanitize.Line(x.FollowUp.Action))
	})
}
