package headless

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func TestWriteTableAlignsOrSaysNone(t *testing.T) {
	var b strings.Builder
	if err := writeTable(&b, "no rows", "A\tB", []string(nil), func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	if b.String() != "no rows\n" {
		t.Errorf("empty: %q", b.String())
	}
	b.Reset()
	rows := [][2]string{{"x", "1"}, {"longer", "2"}}
	if err := writeTable(&b, "no rows", "NAME\tN", rows, func(r [2]string) string { return r[0] + "\t" + r[1] }); err != nil {
		t.Fatal(err)
	}
	want := "NAME    N\nx       1\nlonger  2\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant\n%q", b.String(), want)
	}
}

// The trace and alert tables: a header, one sanitized row per item,
// columns aligned; a line saying so when there is nothing.
func TestTraceAndAlertTables(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var b strings.Builder
	sums := []sources.TraceSummary{{TraceID: "abc", Start: at, Duration: 1500 * time.Microsecond, SpanCount: 3, ErrorCount: 1, RootSvc: "front\x1b[31mend", RootOp: "GET /"}}
	if err := WriteTraceSummaries(&b, Text, sums); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "TRACE ID  START") || strings.ContainsRune(b.String(), 0x1b) ||
		!strings.Contains(lines[1], "2026-01-02 03:04:05  1.5ms") || strings.Index(lines[0], "ROOT") != strings.Index(lines[1], "front") {
		t.Errorf("trace table:\n%s", b.String())
	}
	b.Reset()
	alerts := []sources.Alert{{Name: "Hot\x1b]0;x\x07", State: "firing", Source: "prometheus", Labels: map[string]string{"b": "2", "a": "1"}}}
	if err := WriteAlerts(&b, Text, alerts); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.ContainsRune(s, 0x1b) || !strings.Contains(s, `{a="1", b="2"}`) || !strings.Contains(s, "  -  ") {
		t.Errorf("alert table:\n%s", s)
	}
	for _, none := range []func(*strings.Builder) error{
		func(b *strings.Builder) error { return WriteTraceSummaries(b, Text, nil) },
		func(b *strings.Builder) error { return WriteAlerts(b, Text, nil) },
	} {
		b.Reset()
		if err := none(&b); err != nil || !strings.HasPrefix(b.String(), "no ") || strings.Count(b.String(), "\n") != 1 {
			t.Errorf("empty table: %q %v", b.String(), err)
		}
	}
}
