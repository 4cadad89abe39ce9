package alertnoise

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// View is one rule's stats as the JSON output writes them: durations in
// seconds, the actionable rate null when the rule never fired.
type View struct {
	Rule                  string   `json:"rule"`
	Group                 string   `json:"group,omitempty"`
	Series                int      `json:"series"`
	Fired                 int      `json:"fired"`
	FiringSeconds         float64  `json:"firing_seconds"`
	Flaps                 int      `json:"flaps"`
	SelfResolved          int      `json:"self_resolved"`
	MedianSelfResolveSecs *float64 `json:"median_self_resolve_seconds"`
	Actionable            int      `json:"actionable"`
	ActionableRate        *float64 `json:"actionable_rate"`
	StillFiring           int      `json:"still_firing"`
}

// Report is the JSON document of `reltui alerts stats`.
type Report struct {
	From              time.Time `json:"from"`
	To                time.Time `json:"to"`
	FlapWindowSeconds float64   `json:"flap_window_seconds"`
	// Incidents says whether the incident store was read; without it no
	// firing can be actionable and the rates are null.
	Incidents bool   `json:"incidents_read"`
	Rules     []View `json:"rules"`
}

// NewReport builds the JSON document for stats computed with opt.
func NewReport(stats []Stats, opt Options, incidentsRead bool) Report {
	if opt.FlapWindow <= 0 {
		opt.FlapWindow = DefaultFlapWindow
	}
	r := Report{From: opt.From.UTC(), To: opt.To.UTC(), FlapWindowSeconds: opt.FlapWindow.Seconds(), Incidents: incidentsRead, Rules: []View{}}
	for _, s := range stats {
		v := View{
			Rule: sanitize.Line(s.Rule), Group: sanitize.Line(s.Group), Series: s.Series, Fired: s.Fired,
			FiringSeconds: s.Firing.Seconds(), Flaps: s.Flaps, SelfResolved: s.SelfResolved,
			Actionable: s.Actionable, StillFiring: s.StillFiring,
		}
		if s.SelfResolved > 0 {
			m := s.MedianSelfResolve.Seconds()
			v.MedianSelfResolveSecs = &m
		}
		if s.Fired > 0 && incidentsRead {
			rate := s.ActionableRate
			v.ActionableRate = &rate
		}
		r.Rules = append(r.Rules, v)
	}
	return r
}

// WriteText writes the report as an aligned table, in the stats' order.
func WriteText(w io.Writer, r Report) error {
	fmt.Fprintf(w, "Alert noise %s → %s (flap = fired again within %s of resolving)\n",
		incidents.FormatTime(r.From), incidents.FormatTime(r.To), incidents.FormatDuration(time.Duration(r.FlapWindowSeconds*float64(time.Second))))
	if !r.Incidents {
		fmt.Fprintln(w, "The incident store was not read, so no actionable rate is given.")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tFIRED\tFIRING\tFLAPS\tSELF-RESOLVED\tMEDIAN\tACTIONABLE\tRATE\tNOW")
	for _, v := range r.Rules {
		c := v.Cells()
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%s\t%d\t%s\t%s\n", v.Rule, v.Fired, c.Firing,
			v.Flaps, v.SelfResolved, c.Median, v.Actionable, c.Rate, c.Now)
	}
	return tw.Flush()
}

// Cells are a View's durations and rate written for a table: "–" where
// there is no value, Now "firing" while a firing is open.
type Cells struct{ Firing, Median, Rate, Now string }

// Cells formats v's cells the way the text report writes them.
func (v View) Cells() Cells {
	secs := func(s float64) string { return incidents.FormatDuration(time.Duration(s * float64(time.Second))) }
	c := Cells{Firing: secs(v.FiringSeconds), Median: "–", Rate: "–"}
	if v.MedianSelfResolveSecs != nil {
		c.Median = secs(*v.MedianSelfResolveSecs)
	}
	if v.ActionableRate != nil {
		c.Rate = fmt.Sprintf("%.0f%%", *v.ActionableRate*100)
	}
	if v.StillFiring > 0 {
		c.Now = "firing"
	}
	return c
}
