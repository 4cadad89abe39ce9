package headless

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// EscapeJSON wraps w so that JSON written through it never carries a C1
// control or a bidirectional-formatting character as raw bytes: each is
// written as a \uXXXX escape instead. encoding/json already escapes C0
// controls; these two kinds it leaves raw, and a terminal showing the
// output could act on them (C1) or be made to show text out of order
// (bidi, "Trojan Source"). JSON's structure is ASCII, so such a rune can
// only sit inside a string, where the escape means the same character:
// a decoder gets the value exactly as the backend sent it.
func EscapeJSON(w io.Writer) io.Writer { return &jsonEscaper{w: w} }

type jsonEscaper struct {
	w io.Writer
	// carry holds the start of a UTF-8 sequence split across writes.
	carry []byte
	out   []byte
}

// needsEscape reports the runes EscapeJSON writes as \uXXXX.
func needsEscape(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

func (e *jsonEscaper) Write(p []byte) (int, error) {
	buf := p
	if len(e.carry) > 0 {
		buf = append(e.carry, p...)
		e.carry = nil
	}
	e.out = e.out[:0]
	for i := 0; i < len(buf); {
		c := buf[i]
		if c < utf8.RuneSelf {
			e.out = append(e.out, c)
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) {
			e.carry = append([]byte(nil), buf[i:]...)
			break
		}
		r, size := utf8.DecodeRune(buf[i:])
		if needsEscape(r) {
			e.out = fmt.Appendf(e.out, `\u%04x`, r)
		} else {
			e.out = append(e.out, buf[i:i+size]...)
		}
		i += size
	}
	if _, err := e.w.Write(e.out); err != nil {
		return 0, err
	}
	return len(p), nil
}
