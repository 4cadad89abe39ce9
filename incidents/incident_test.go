package incidents

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func min_(n int) time.Duration { return time.Duration(n) * time.Minute }

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"sev1": "SEV1", "SEV2": "SEV2", " 3 ": "SEV3", "Sev5": "SEV5"} {
		if got, err := ParseSeverity(in); err != nil || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "sev0", "sev6", "critical", "SEV12", "sev"} {
		if _, err := ParseSeverity(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseSeverity(%q) accepted or wrong error: %v", bad, err)
		}
	}
}

func TestParseMilestoneAndRef(t *testing.T) {
	for in, want := range map[string]Milestone{"ack": Acknowledged, "Resolved": Resolved, "mitigate": Mitigated, "started": Started, " detected ": Detected} {
		if got, err := ParseMilestone(in); err != nil || got != want {
			t.Errorf("ParseMilestone(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMilestone("fixed"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseMilestone(fixed): %v", err)
	}
	for in, want := range map[string]int64{"42": 42, "INC-42": 42, "inc-7": 7} {
		if got, err := ParseRef(in); err != nil || got != want {
			t.Errorf("ParseRef(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0", "-1", "INC-", "INC-x", "42a", "99999999999999999999"} {
		if _, err := ParseRef(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseRef(%q) accepted: %v", bad, err)
		}
	}
}

func TestCheckOrder(t *testing.T) {
	ok := []Milestones{
		{},
		{Started: t0},
		{Started: t0, Detected: t0, Acknowledged: t0, Mitigated: t0, Resolved: t0},
		{Started: t0, Mitigated: t0.Add(min_(5))}, // gaps are fine
		{Detected: t0, Resolved: t0.Add(min_(1))},
	}
	for i, ms := range ok {
		if err := ms.CheckOrder(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
	bad := []Milestones{
		{Started: t0, Detected: t0.Add(-time.Second)},
		{Started: t0, Resolved: t0.Add(-time.Minute)},
		{Acknowledged: t0, Mitigated: t0.Add(min_(10)), Resolved: t0.Add(min_(9))},
	}
	for i, ms := range bad {
		if err := ms.CheckOrder(); !errors.Is(err, ErrInvalid) {
			t.Errorf("bad case %d accepted: %v", i, err)
		}
	}
}

// history is a hand-written timeline: declared, milestones, a move of
// started with a reason, a retitle and notes.
func history() []Event {
	return []Event{
		{Seq: 1, Kind: KindDeclared, Time: t0, Author: "alice", Attrs: &Attributes{Title: "Old", Severity: "SEV3", Services: []string{"api"}}},
		{Seq: 2, Kind: KindMilestone, Milestone: Started, At: t0.Add(-min_(20))},
		{Seq: 3, Kind: KindMilestone, Milestone: Detected, At: t0.Add(-min_(10))},
		{Seq: 4, Kind: KindNote, Text: "paged db team"},
		{Seq: 5, Kind: KindMilestone, Milestone: Acknowledged, At: t0.Add(-min_(7))},
		{Seq: 6, Kind: KindMilestone, Milestone: Started, At: t0.Add(-min_(40)), Text: "errors began earlier"},
		{Seq: 7, Kind: KindUpdated, Attrs: &Attributes{Title: "New", Severity: "SEV2"}},
		{Seq: 8, Kind: KindMilestone, Milestone: Mitigated, At: t0.Add(min_(20))},
		{Seq: 9, Kind: KindEvidence, Evidence: &Evidence{Kind: EvidenceLog}},
		{Seq: 10, Kind: KindMilestone, Milestone: Resolved, At: t0.Add(min_(80))},
	}
}

func TestBuildAndMTTx(t *testing.T) {
	inc := Build(7, history())
	if inc.Title != "New" || inc.Severity != "SEV2" || len(inc.Services) != 1 || inc.DeclaredBy != "alice" {
		t.Fatalf("attrs: %+v", inc)
	}
	if !inc.Milestones.Started.Equal(t0.Add(-min_(40))) {
		t.Fatalf("started = %v; the latest milestone event wins", inc.Milestones.Started)
	}
	// started 11:20, detected 11:50, acknowledged 11:53, mitigated 12:20,
	// resolved 13:20.
	want := map[Metric]time.Duration{MTTD: min_(30), MTTA: min_(3), MTTM: min_(60), MTTR: min_(120)}
	for m, w := range want {
		if d, ok := inc.Duration(m); !ok || d != w {
			t.Errorf("%s = %v %v, want %v", m, d, ok, w)
		}
	}
	if inc.Status() != StatusResolved {
		t.Fatalf("status %s", inc.Status())
	}
	if n := len(inc.MilestoneEvents(Started)); n != 2 {
		t.Fatalf("started trail has %d events", n)
	}
	open := Build(8, history()[:5])
	if _, ok := open.Duration(MTTR); ok || open.Status() != StatusOpen {
		t.Fatal("an unresolved incident has no MTTR and is open")
	}
	if _, ok := open.Duration(MTTA); !ok {
		t.Fatal("MTTA should be known once acknowledged")
	}
}

// Stores give Build only the StateKinds events on the write path; state
// must not depend on anything else.
func TestStateKindsAreEnough(t *testing.T) {
	var state []Event
	for _, e := range history() {
		for _, k := range StateKinds() {
			if e.Kind == k {
				state = append(state, e)
			}
		}
	}
	full, part := Build(1, history()), Build(1, state)
	if full.Title != part.Title || full.Severity != part.Severity || full.Milestones != part.Milestones || full.Commander != part.Commander {
		t.Fatalf("state differs: %+v vs %+v", full, part)
	}
}

func TestSummarize(t *testing.T) {
	cases := []struct {
		in                []time.Duration
		mean, median, p90 time.Duration
	}{
		// Odd count: median is the middle value; p90 rank ceil(0.9*5)=5.
		{[]time.Duration{min_(10), min_(1), min_(3), min_(2), min_(4)}, min_(4), min_(3), min_(10)},
		// Even count: median is the mean of 2m and 3m; p90 rank ceil(3.6)=4.
		{[]time.Duration{min_(1), min_(2), min_(3), min_(4)}, 150 * time.Second, 150 * time.Second, min_(4)},
		{[]time.Duration{min_(7)}, min_(7), min_(7), min_(7)},
		// Ten values 1..10 minutes: p90 rank 9 -> 9m, mean 5.5m, median 5.5m.
		{[]time.Duration{min_(1), min_(2), min_(3), min_(4), min_(5), min_(6), min_(7), min_(8), min_(9), min_(10)}, 330 * time.Second, 330 * time.Second, min_(9)},
	}
	for i, c := range cases {
		s := Summarize(c.in)
		if s.Count != len(c.in) || s.Mean != c.mean || s.Median != c.median || s.P90 != c.p90 {
			t.Errorf("case %d: %+v, want mean %v median %v p90 %v", i, s, c.mean, c.median, c.p90)
		}
	}
	if s := Summarize(nil); s != (Summary{}) {
		t.Errorf("empty: %+v", s)
	}
}

func incident(id int64, sev Severity, svcs []string, detect, resolve time.Duration) Incident {
	evs := []Event{
		{Seq: 1, Kind: KindDeclared, Attrs: &Attributes{Title: "x", Severity: sev, Services: svcs}},
		{Seq: 2, Kind: KindMilestone, Milestone: Started, At: t0},
		{Seq: 3, Kind: KindMilestone, Milestone: Detected, At: t0.Add(detect)},
	}
	if resolve > 0 {
		evs = append(evs, Event{Seq: 4, Kind: KindMilestone, Milestone: Resolved, At: t0.Add(resolve)})
	}
	return Build(id, evs)
}

func TestAggregate(t *testing.T) {
	incs := []Incident{
		incident(1, "SEV1", []string{"payments", "checkout"}, min_(2), min_(30)),
		incident(2, "SEV1", []string{"payments"}, min_(4), min_(90)),
		incident(3, "SEV3", []string{"search"}, min_(12), 0), // unresolved
	}
	r := Aggregate(incs)
	if r.Count != 3 || r.Metrics[MTTD].Count != 3 || r.Metrics[MTTR].Count != 2 || r.Metrics[MTTA].Count != 0 {
		t.Fatalf("counts: %+v", r.Stats)
	}
	// MTTD over 2, 4, 12 minutes: mean 6m, median 4m, p90 12m.
	if d := r.Metrics[MTTD]; d.Mean != min_(6) || d.Median != min_(4) || d.P90 != min_(12) {
		t.Fatalf("MTTD %+v", d)
	}
	// MTTR over 30, 90: mean 60m, median 60m, p90 rank 2 -> 90m.
	if d := r.Metrics[MTTR]; d.Mean != min_(60) || d.Median != min_(60) || d.P90 != min_(90) {
		t.Fatalf("MTTR %+v", d)
	}
	if s := r.BySeverity["SEV1"]; s.Count != 2 || s.Metrics[MTTD].Mean != min_(3) {
		t.Fatalf("SEV1 %+v", s)
	}
	if s := r.ByService["payments"]; s.Count != 2 || s.Metrics[MTTR].Median != min_(60) {
		t.Fatalf("payments %+v", s)
	}
	if s := r.ByService["checkout"]; s.Count != 1 || s.Metrics[MTTR].Mean != min_(30) {
		t.Fatalf("checkout %+v", s)
	}
	if s := r.ByService["search"]; s.Metrics[MTTR].Count != 0 {
		t.Fatalf("search has no MTTR yet: %+v", s)
	}
	v := NewReportView(r, t0, t0)
	if v.MTTR.Mean == nil || *v.MTTR.Mean != 3600 || v.MTTA.Mean != nil {
		t.Fatalf("view: %+v", v)
	}
}

func TestInPeriodAndFilter(t *testing.T) {
	a := incident(1, "SEV2", nil, min_(1), 0)
	got := InPeriod([]Incident{a}, t0.Add(-time.Hour), t0)
	if len(got) != 1 {
		t.Fatal("an incident starting at the period's end is in it")
	}
	if len(InPeriod([]Incident{a}, t0.Add(time.Second), t0.Add(time.Hour))) != 0 {
		t.Fatal("an incident that started before the period is not in it")
	}
	resolved := incident(2, "SEV2", nil, min_(1), min_(5))
	if (Filter{Status: StatusOpen}).Match(resolved) || !(Filter{Status: StatusOpen}).Match(a) {
		t.Fatal("open means not resolved")
	}
}

func TestFormatDuration(t *testing.T) {
	cases := map[time.Duration]string{
		45 * time.Second:                "45s",
		12*time.Minute + 30*time.Second: "12m30s",
		3*time.Hour + 5*time.Minute:     "3h05m",
		52 * time.Hour:                  "2d04h",
		-90 * time.Second:               "-1m30s",
		0:                               "0s",
	}
	for d, want := range cases {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestTimelineSaysWhatMoved(t *testing.T) {
	tl := Timeline(Build(1, history()))
	if got := tl[5].Summary; got != "started moved from 2026-05-01T11:40:00Z to 2026-05-01T11:20:00Z: errors began earlier" {
		t.Fatalf("move summary = %q", got)
	}
	if got := tl[1].Summary; got != "started at 2026-05-01T11:40:00Z" {
		t.Fatalf("first set summary = %q", got)
	}
	if got := tl[6].Summary; got != `set title "New", severity SEV2` {
		t.Fatalf("update summary = %q", got)
	}
}

func TestMarkdown(t *testing.T) {
	evs := history()
	evs[3].Text = "rolled back | checked \x1b[31mred\x1b[0m"
	evs[8].Evidence = &Evidence{Kind: EvidenceLog, Source: "loki", Query: "{app=`x`}", Snapshot: "line ``` with fence", Link: "https://g.example/explore?a=(1)"}
	md := Markdown(Build(3, evs))
	for _, want := range []string{
		"# INC-3: New\n",
		"## Summary", "## Impact", "## MTTx", "## Timeline", "## Evidence", "## Action items",
		"| MTTD | 30m00s | detected − started |",
		"| MTTR | 2h00m | resolved − started |",
		"- Duration of impact: 2h00m",
		`rolled back \| checked red`,
		"- Query: ``{app=`x`}``",
		"[open in Grafana Explore](https://g.example/explore?a=%281%29)",
		"````\nline ``` with fence\n````",
		"| # | Action | Owner | Due | State |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "\x1b") {
		t.Error("escape sequence in markdown")
	}
	if n := strings.Count(md, "\n| "); n < 10+4+5 {
		t.Errorf("expected a row per event, metric and table field, got %d rows", n)
	}
}

func TestNewViewNulls(t *testing.T) {
	v := NewView(Build(4, history()[:3]))
	if v.Milestones.Resolved != nil || v.MTTRSeconds != nil || v.MTTDSeconds == nil || *v.MTTDSeconds != 600 {
		t.Fatalf("view: %+v", v)
	}
	if v.Ref != "INC-4" || v.Status != StatusOpen {
		t.Fatalf("view: %+v", v)
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"42", "INC-42", "inc-0", "-5", "INC--5", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseRef(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		if back, err := ParseRef(Ref(id)); id <= 0 || err != nil || back != id {
			t.Fatalf("ParseRef(%q) = %d; Ref round trip gives %d, %v", s, id, back, err)
		}
	})
}

func FuzzParseMilestone(f *testing.F) {
	for _, s := range []string{"ack", "resolved", "Started", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMilestone(s)
		if err == nil && m.index() < 0 {
			t.Fatalf("ParseMilestone(%q) = %q, not a milestone", s, m)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
	})
}
