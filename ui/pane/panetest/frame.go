package panetest

// The frame checks: a pane's frame must be safe to write to a terminal
// however hostile the text fed into it — the only escape sequences left
// are the styles' own SGR, and no line is wider than the pane.

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Hostile returns text an attacker who can write a label, a span, an
// alert, a spec file or an incident might send: each piece tries to reach
// the terminal with a control sequence, to reorder it, or to break the
// frame. The slice is fresh each call, so a test may change it.
func Hostile() []string {
	return []string{
		"csi \x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared",
		"osc52 \x1b]52;c;ZXZpbA==\x07 clipboard",
		"title \x1b]0;pwned\x1b\\ osc8 \x1b]8;;http://evil.example\x1b\\link",
		"dcs \x1bPq#0~~\x1b\\ apc \x1b_Gf=100\x1b\\",
		"c1 \u009b31m csi \u009d0;t\u009c \u0085nel",
		"bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark",
		"bell\x07 bs\x08 del\x7f cr\rover",
		"tab\tand\nnew line\nthird",
		"unterminated \x1b]52;c;ZXZp",
		"wide 日本語テキスト🚀🔥ｱｲｳ " + strings.Repeat("x", 300),
	}
}

// HostileLine is every Hostile piece in one string.
func HostileLine() string { return strings.Join(Hostile(), " ") }

// sgr is a Select Graphic Rendition sequence, the only escape a style
// writes.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// CheckFrame fails t when frame holds a control character or sequence other
// than newlines and SGR, is not valid UTF-8, or has a line wider than
// width cells (measured as the terminal will, not in bytes).
func CheckFrame(t testing.TB, what, frame string, width int) {
	t.Helper()
	if !utf8.ValidString(frame) {
		t.Errorf("%s: frame is not valid UTF-8", what)
	}
	plain := sgr.ReplaceAllString(frame, "")
	for i, r := range plain {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c {
			lo := max(0, i-30)
			t.Errorf("%s: control %U at byte %d: %q", what, r, i, plain[lo:min(len(plain), i+30)])
			return
		}
	}
	for i, l := range strings.Split(frame, "\n") {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s: line %d is %d cells wide, more than %d: %q", what, i, w, width, ansi.Strip(l))
		}
	}
}
