package pane

import (
	"strings"
	"testing"
	"time"
)

func TestClampScroll(t *testing.T) {
	for _, c := range []struct {
		name             string
		sel, top, n, h   int
		wantSel, wantTop int
	}{
		{"empty list", 3, 2, 0, 5, 0, 0},
		{"above the screen scrolls up", 1, 4, 20, 5, 1, 1},
		{"below the screen scrolls down", 9, 0, 20, 5, 9, 5},
		{"past the end clamps", 25, 0, 20, 5, 19, 15},
		{"negative clamps", -3, 0, 20, 5, 0, 0},
		{"short list keeps top at 0", 2, 3, 4, 10, 2, 0},
		{"no empty rows below the last", 18, 17, 20, 5, 18, 15},
		{"zero height counts as one row", 4, 0, 10, 0, 4, 4},
	} {
		sel, top := ClampScroll(c.sel, c.top, c.n, c.h)
		if sel != c.wantSel || top != c.wantTop {
			t.Errorf("%s: ClampScroll(%d, %d, %d, %d) = %d, %d; want %d, %d", c.name, c.sel, c.top, c.n, c.h, sel, top, c.wantSel, c.wantTop)
		}
	}
}

func TestCopyCmd(t *testing.T) {
	text, cmd := CopyCmd("up{job=\"a\"}\x1b]52;c;ZXZpbA==\x07\n")
	if strings.ContainsAny(text, "\x1b\x07\n") || !strings.HasPrefix(text, `up{job="a"}`) {
		t.Fatalf("text not sanitized: %q", text)
	}
	msg, ok := cmd().(CopyMsg)
	if !ok || msg.Text != text || !strings.HasPrefix(msg.Sequence, "\x1b]52;c;") {
		t.Fatalf("msg = %#v", msg)
	}
	if text, cmd := CopyCmd("\x1b[2J"); text != "" || cmd != nil {
		t.Fatalf("nothing left to copy gave %q, %v", text, cmd != nil)
	}
}

func TestAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                     "0s",
		59*time.Second + 900*time.Millisecond: "59s",
		90 * time.Second:                      "1m",
		time.Hour + 3*time.Minute:             "1h03m",
		26*time.Hour + 45*time.Minute:         "26h45m",
	} {
		if got := Age(d); got != want {
			t.Errorf("Age(%v) = %q, want %q", d, got, want)
		}
	}
}
