package histfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestNewFindsTheStateDirectory(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/reltui"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/reltui"},
		{map[string]string{}, ""},
	} {
		if got := New(env(c.vars)).Dir(); got != c.want {
			t.Errorf("New(%v).Dir() = %q, want %q", c.vars, got, c.want)
		}
	}
}

func TestSaveThenLoadRoundTrips(t *testing.T) {
	dir := t.TempDir()
	h := New(env(map[string]string{"XDG_STATE_HOME": dir}))
	if got := h.Load("palette_history"); got != nil {
		t.Fatalf("a missing file loads %q", got)
	}
	in := []string{`{service="api"}`, "two\nlines", "  spaced  ", "cr\rhere", "last"}
	if err := h.Save("palette_history", in); err != nil {
		t.Fatal(err)
	}
	got := h.Load("palette_history")
	want := []string{`{service="api"}`, "spaced", "last"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("loaded %q, want %q", got, want)
	}
	p := filepath.Join(dir, "reltui", "palette_history")
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if m := info.Mode().Perm(); m != 0o600 {
		t.Errorf("file mode %04o, want 0600", m)
	}
	if d, err := os.Stat(filepath.Dir(p)); err != nil || d.Mode().Perm() != 0o700 {
		t.Errorf("directory mode: %v %v, want 0700", d.Mode().Perm(), err)
	}
	// Nothing to save leaves the old history alone; no temporary file
	// stays behind.
	if err := h.Save("palette_history", nil); err != nil || len(h.Load("palette_history")) != 3 {
		t.Fatalf("saving nothing: %v, %q", err, h.Load("palette_history"))
	}
	if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the history", len(entries))
	}
}

func TestLoadKeepsTheNewestWithinItsBounds(t *testing.T) {
	dir := t.TempDir()
	h := New(env(map[string]string{"XDG_STATE_HOME": dir}))
	var many []string
	for i := 0; i < MaxEntries+50; i++ {
		many = append(many, fmt.Sprint("q", i))
	}
	if err := h.Save("logsql_history", many); err != nil {
		t.Fatal(err)
	}
	got := h.Load("logsql_history")
	if len(got) != MaxEntries || got[0] != "q50" || got[len(got)-1] != fmt.Sprint("q", MaxEntries+49) {
		t.Fatalf("kept %d entries, %q .. %q; want the newest %d", len(got), got[0], got[len(got)-1], MaxEntries)
	}
	// A file far past MaxBytes is read only up to it.
	// Lines long enough that MaxBytes holds fewer than MaxEntries.
	line := strings.Repeat("x", 20000) + "\n"
	big := strings.Repeat(line, MaxEntries)
	if err := os.WriteFile(filepath.Join(dir, "reltui", "big"), []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	got = h.Load("big")
	if n := len(got); n == 0 || n > MaxBytes/len(line)+1 {
		t.Fatalf("read %d lines of a %d-byte file, want at most %d", n, len(big), MaxBytes/len(line)+1)
	}
	if (Files{}).Load("big") != nil || (Files{}).Save("big", []string{"x"}) != nil {
		t.Error("the zero Files must keep nothing")
	}
}
