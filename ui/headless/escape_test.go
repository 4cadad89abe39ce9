package headless

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
)

func TestEscapeJSONKeepsValueAndHidesControls(t *testing.T) {
	in := map[string]string{"op": "pay\u202emoc.exe", "c1": "a\u009b31mb", "ok": "café ✓", "isolate": "x\u2066y\u2069"}
	var out bytes.Buffer
	if err := json.NewEncoder(EscapeJSON(&out)).Encode(in); err != nil {
		t.Fatal(err)
	}
	for _, r := range out.String() {
		if needsEscape(r) {
			t.Fatalf("raw %U in output %q", r, out.String())
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatalf("escaped output is not JSON: %v\n%s", err, out.String())
	}
	for k, v := range in {
		if back[k] != v {
			t.Fatalf("%s: decoded %q, want %q", k, back[k], v)
		}
	}
}

// A rune split across two writes is still recognised.
func TestEscapeJSONAcrossWrites(t *testing.T) {
	var out bytes.Buffer
	w := EscapeJSON(&out)
	b := []byte("\"x\u202ey\"")
	for i := range b {
		if _, err := w.Write(b[i : i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if got := out.String(); got != `"x\u202ey"` {
		t.Fatalf("got %q", got)
	}
}

func FuzzEscapeJSON(f *testing.F) {
	for _, s := range []string{"plain", "a\u202eb", "\u0085", "é\u2069", "\x1b[31m"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, split int) {
		if !utf8.ValidString(s) {
			return
		}
		enc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := EscapeJSON(&out)
		if split = max(0, split) % (len(enc) + 1); true {
			_, _ = w.Write(enc[:split])
			_, _ = w.Write(enc[split:])
		}
		for _, r := range out.String() {
			if needsEscape(r) {
				t.Fatalf("raw %U in %q", r, out.String())
			}
		}
		var back string
		if err := json.Unmarshal(out.Bytes(), &back); err != nil || back != s {
			t.Fatalf("round trip: %q -> %q (%v)", s, back, err)
		}
	})
}

// The trace document goes through the escaper: a span name built to
// reorder the terminal's text reaches it only as an escape.
func TestTraceJSONEscapesHostileSpanNames(t *testing.T) {
	var out bytes.Buffer
	tr := &sources.Trace{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", Spans: []sources.Span{{SpanID: "a1", Service: "pay\u202ements", Operation: "x\u009b2Jy"}}}
	if err := WriteTrace(&out, JSON, tr); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Bytes(), []byte("\u202e")) || bytes.Contains(out.Bytes(), []byte("\u009b")) || !bytes.Contains(out.Bytes(), []byte(`\u202e`)) {
		t.Fatalf("raw control in trace JSON:\n%q", out.String())
	}
}
