// Package sanitize makes text from outside safe to write to a terminal.
//
// Every string that comes from a backend (log lines, labels, structured
// metadata, span tags, error texts) passes through Text or Line before it
// reaches the screen. The contract:
//
//  1. The input is decoded as UTF-8; invalid bytes become U+FFFD.
//  2. C0 controls other than newline and tab, and DEL, are made visible as
//     their Unicode control pictures (U+2400 block); CR is dropped; C1
//     controls (U+0080–U+009F) are dropped.
//  3. ESC-started CSI, OSC, DCS, APC, PM and SOS sequences are dropped whole,
//     including unterminated ones, and so are their 8-bit C1 introducers.
//  4. Bidi embedding, override, isolate and mark controls are dropped, and
//     so are the other invisible characters that reorder or hide text: the
//     deprecated format controls (U+206A–U+206F) and the interlinear
//     annotation controls (U+FFF9–U+FFFB).
//  5. The line and paragraph separators (U+2028, U+2029), which some
//     terminals treat as a line break the view did not lay out, become a
//     newline in Text and a space in Line.
//  6. Everything else (CJK, emoji, box drawing) passes byte for byte.
//
// The result is valid UTF-8 and Text(Text(s)) == Text(s).
package sanitize

import (
	"strings"
	"unicode/utf8"
)

const (
	esc = 0x1b
	bel = 0x07
)

// Text sanitizes s, keeping newlines and tabs for the view to lay out.
func Text(s string) string { return clean(s, false) }

// Line sanitizes s for a single screen line: newlines and tabs become spaces.
func Line(s string) string { return clean(s, true) }

// Safe reports whether s would pass through Text unchanged without any
// work, i.e. it is printable ASCII plus newline and tab.
func Safe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x7f || (c < 0x20 && c != '\n' && c != '\t') {
			return false
		}
	}
	return true
}

func clean(s string, oneLine bool) string {
	if Safe(s) {
		if oneLine && strings.ContainsAny(s, "\n\t") {
			return strings.Map(func(r rune) rune {
				if r == '\n' || r == '\t' {
					return ' '
				}
				return r
			}, s)
		}
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		switch {
		case r == esc:
			i = skipEscape(s, i+1)
			continue
		case r == '\n' || r == '\t' || r == 0x2028 || r == 0x2029:
			if r > 0x7f {
				r = '\n'
			}
			if oneLine {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		case r == '\r':
			// Dropped: a bare CR lets a line overwrite itself on screen.
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune(0x2421)
		case r >= 0x80 && r <= 0x9f:
			i += size
			i = skipC1(s, i, r)
			continue
		case isBidiControl(r):
			// Dropped: it would reorder what follows on screen.
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isBidiControl reports the invisible controls that reorder or hide the
// text after them.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x206f) || r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0xfff9 && r <= 0xfffb)
}

// skipEscape returns the index after the escape sequence whose ESC was just
// before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '_', '^', 'X':
		return skipString(s, i+1)
	}
	// Two-byte sequences (ESC c, ESC 7, ESC ( B, ...): drop any
	// intermediate bytes and the final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipC1 handles a C1 control that was just consumed: the 8-bit CSI, OSC,
// DCS, APC, PM and SOS introducers swallow their sequence too.
func skipC1(s string, i int, r rune) int {
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x9f, 0x9e, 0x98: // OSC, DCS, APC, PM, SOS
		return skipString(s, i)
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte. A byte
// outside the CSI grammar ends the sequence without being consumed.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips a control string up to and including its terminator:
// BEL, ESC \, or the C1 ST (U+009C). An unterminated string runs to the end.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == bel:
			return i + 1
		case s[i] == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// A new ESC inside a string ends it; the ESC starts over.
			return i
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
		i++
	}
	return i
}
