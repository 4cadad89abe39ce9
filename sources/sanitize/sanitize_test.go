package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "hello world", "hello world"},
		{"newline and tab kept", "a\tb\nc", "a\tb\nc"},
		{"sgr colour", "\x1b[31mred\x1b[0m", "red"},
		{"clear screen", "x\x1b[2J\x1b[Hy", "xy"},
		{"osc52 bel", "a\x1b]52;c;ZXZpbA==\x07b", "ab"},
		{"osc title st", "a\x1b]0;pwned\x1b\\b", "ab"},
		{"unterminated osc", "a\x1b]52;c;ZXZpbA==", "a"},
		{"unterminated csi", "a\x1b[12;", "a"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"pm and sos", "a\x1b^x\x1b\\b\x1bXy\x1b\\c", "abc"},
		{"8-bit csi utf8", "a\u009b31mb", "ab"},
		{"8-bit osc utf8", "a\u009d52;c;ZXZpbA==\u009cb", "ab"},
		{"8-bit osc raw byte", "a\x9d52;c;x\x07b", "a\uFFFD52;c;x\u2407b"},
		{"c1 dropped", "a\u0085b", "ab"},
		{"cr dropped", "line\r\n", "line\n"},
		{"bell visible", "ding\x07", "ding\u2407"},
		{"nul visible", "a\x00b", "a\u2400b"},
		{"del visible", "a\x7fb", "a\u2421b"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"bidi isolate", "\u2066x\u2069", "x"},
		{"arabic letter mark and lrm/rlm", "a\u061cb\u200ec\u200fd", "abcd"},
		{"deprecated format controls", "a\u206ab\u206fc", "abc"},
		{"interlinear annotation", "shown\ufff9hidden\ufffaruby\ufffb", "shownhiddenruby"},
		{"line separator", "a\u2028b", "a\nb"},
		{"paragraph separator", "a\u2029b", "a\nb"},
		{"zwj emoji kept", "👩\u200d💻", "👩\u200d💻"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"cjk emoji box", "日本語 🔥 ┌─┐", "日本語 🔥 ┌─┐"},
		{"esc single", "a\x1bcb", "ab"},
		{"esc charset", "a\x1b(Bb", "ab"},
		{"trailing esc", "a\x1b", "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Fatalf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got := Line("a\nb\tc\x1b[1m"); got != "a b c" {
		t.Fatalf("Line = %q", got)
	}
	if got := Line("plain\nascii"); got != "plain ascii" {
		t.Fatalf("Line fast path = %q", got)
	}
	if got := Line("a\u2028b\u2029c"); got != "a b c" {
		t.Fatalf("Line with separators = %q", got)
	}
}

func TestSafeFastPathDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("level=info msg=ok ", 20)
	n := testing.AllocsPerRun(100, func() { _ = Text(s) })
	if n != 0 {
		t.Fatalf("allocs = %v, want 0", n)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mred", "\x1b]52;c;AA\x07", "\u009b2J", "\xc2", "日本\u202e", "\x1bP\x1b\\", "a\r\nb",
		"a\u2028b\u2029c", "\u206a\u206f", "x\ufff9y\ufffaz\ufffb", "\u061c\u200e\u200f", "\xe2\x80\xa8", "\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid utf8 out for %q", s)
		}
		if Text(out) != out {
			t.Fatalf("not idempotent for %q: %q -> %q", s, out, Text(out))
		}
		for _, r := range out {
			if r == 0x1b || r == '\r' || r == 0x7f || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
				t.Fatalf("control %U survived in %q (from %q)", r, out, s)
			}
		}
		line := Line(s)
		if strings.ContainsAny(line, "\n\t") {
			t.Fatalf("Line kept a newline or tab: %q", line)
		}
	})
}
