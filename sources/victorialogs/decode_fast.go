package victorialogs

import (
	"bytes"
	"encoding/binary"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
)

// The fast path below exists because encoding/json spent ~85% of a row's
// decoding: it validates the row, then rescans it through reflection into
// a map whose every key and value is a fresh string, most of which
// decodeEntry throws away (_time, _stream, _stream_id, repeated stream
// fields). VictoriaLogs only ever writes flat objects of strings, so a
// scanner for exactly that shape can decode in place and allocate only
// what the entry keeps. Anything else goes to decodeSlow, unchanged.

// strRef is where one decoded key or value is: at line[off:off+n] when
// the JSON string needed no decoding, else at scratch[^off:^off+n].
// Offsets rather than slices keep the pooled fields free of pointers, so
// filling them costs no GC write barriers, and keep them valid when
// scratch grows.
type strRef struct{ off, n int }

// rawField is one field of a row as scanned.
type rawField struct{ key, val strRef }

// strPlain marks the bytes that stand for themselves inside a JSON string,
// so that the common run of printable ASCII costs one table load a byte.
// Quotes and backslashes end the run, control characters are invalid, and
// bytes from 0x80 up need a UTF-8 check.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// decodeFast is decodeEntry for a flat object of strings with a _time in
// the form parseTime reads and a stream the interner can read. It reports
// false for anything else, leaving the row to decodeSlow, so that every
// error and every unusual row is handled by the one older path.
func decodeFast(line []byte, in *interner) (sources.LogEntry, bool) {
	sc := scratchPool.Get().(*rowScratch)
	defer sc.put()
	if !sc.scanFlatRow(line) {
		return sources.LogEntry{}, false
	}
	fields := sc.lastWins(line)

	var ts, msg, stream []byte
	hasTime, hasStream := false, false
	n := 0 // the other non-empty fields, compacted to fields[:n]
	for _, f := range fields {
		switch string(sc.str(line, f.key)) {
		case "_time":
			ts, hasTime = sc.str(line, f.val), true
		case "_msg":
			msg = sc.str(line, f.val)
		case "_stream":
			stream, hasStream = sc.str(line, f.val), true
		case "_stream_id":
		default:
			if f.val.n > 0 { // VictoriaLogs treats an empty field as an absent one
				fields[n] = f
				n++
			}
		}
	}
	if !hasTime {
		return sources.LogEntry{}, false
	}
	t, ok := parseTime(ts)
	if !ok {
		return sources.LogEntry{}, false
	}
	labels := in.empty()
	if hasStream {
		ls, err := in.getBytes(stream)
		if err != nil {
			return sources.LogEntry{}, false
		}
		labels = ls
	}

	size, kept := len(msg), 0
	for _, f := range fields[:n] {
		if lv, isLabel := labels[string(sc.str(line, f.key))]; isLabel && lv == string(sc.str(line, f.val)) {
			continue // VictoriaLogs repeats stream fields as fields
		}
		fields[kept] = f
		kept++
		size += f.key.n + f.val.n
	}
	// One allocation holds the line and every metadata key and value:
	// they are one entry's and live as long as it does.
	var sb strings.Builder
	sb.Grow(size)
	sb.Write(msg)
	for _, f := range fields[:kept] {
		sb.Write(sc.str(line, f.key))
		sb.Write(sc.str(line, f.val))
	}
	arena := sb.String()
	e := sources.LogEntry{Time: t, Labels: labels, Line: arena[:len(msg)]}
	if kept > 0 {
		meta := make(map[string]string, kept)
		off := len(msg)
		for _, f := range fields[:kept] {
			k := arena[off : off+f.key.n]
			off += f.key.n
			meta[k] = arena[off : off+f.val.n]
			off += f.val.n
		}
		e.Metadata = meta
	}
	return e, true
}

// rowScratch is what decoding a row needs beyond the row: its fields, and
// room for the strings that had escapes, which every row's _stream has.
// It is pooled, since a fresh one per row would cost more than the rest
// of the decoding.
type rowScratch struct {
	fields []rawField
	buf    []byte
}

var scratchPool = sync.Pool{New: func() any {
	return &rowScratch{fields: make([]rawField, 0, 32), buf: make([]byte, 0, 1024)}
}}

// maxPooledScratch keeps a rare huge row from pinning its buffer for good.
const maxPooledScratch = 64 << 10

func (sc *rowScratch) put() {
	if cap(sc.buf) > maxPooledScratch || cap(sc.fields) > maxPooledScratch/32 {
		return
	}
	sc.fields, sc.buf = sc.fields[:0], sc.buf[:0]
	scratchPool.Put(sc)
}

// str is the bytes r refers to; line is the row that was scanned.
func (sc *rowScratch) str(line []byte, r strRef) []byte {
	if r.off >= 0 {
		return line[r.off : r.off+r.n]
	}
	return sc.buf[^r.off : ^r.off+r.n]
}

// scanFlatRow reads a JSON object whose values are all strings into
// sc.fields, in order. It reports false for anything encoding/json would
// reject and for any value that is not a string.
func (sc *rowScratch) scanFlatRow(b []byte) bool {
	fields, scratch := sc.fields[:0], sc.buf[:0]
	defer func() { sc.fields, sc.buf = fields, scratch }()
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		var key, val strRef
		var ok bool
		if i >= len(b) || b[i] != '"' {
			return false
		}
		if key, i, scratch, ok = scanString(b, i, scratch); !ok {
			return false
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		if i >= len(b) || b[i] != '"' {
			return false
		}
		if val, i, scratch, ok = scanString(b, i, scratch); !ok {
			return false
		}
		fields = append(fields, rawField{key, val})
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

// skipSpace skips JSON's whitespace, which is narrower than Unicode's.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string that opens at b[i]. It returns where
// the string's value is, the index past its closing quote, and scratch,
// which holds the value if it needed decoding. A string of plain text and
// valid UTF-8 is left where it is in b, copied nowhere.
func scanString(b []byte, i int, scratch []byte) (val strRef, next int, _ []byte, ok bool) {
	i++
	start := i
	for i+8 <= len(b) && plain8(binary.LittleEndian.Uint64(b[i:])) {
		i += 8
	}
	for {
		for i < len(b) && strPlain[b[i]] {
			i++
		}
		if i >= len(b) {
			return strRef{}, 0, scratch, false
		}
		c := b[i]
		if c == '"' {
			return strRef{start, i - start}, i + 1, scratch, true
		}
		if c >= utf8.RuneSelf {
			// A valid sequence never holds a quote or backslash, so
			// decoding past the string's end is harmless.
			if r, size := utf8.DecodeRune(b[i:]); r != utf8.RuneError || size > 1 {
				i += size
				continue
			}
		}
		return decodeString(b, start, i, scratch)
	}
}

// plain8 reports whether all eight bytes of w are strPlain, testing them
// at once, since log text is mostly long plain runs. Taking 0x20 from each
// byte sets the top bit of a control character; taking 1 after an xor with
// '"' or '\\' sets that of a quote or backslash; w's own top bits mark the
// bytes from 0x80 up. A borrow between bytes can only start at a byte that
// is flagged already, so the answer is exact either way.
func plain8(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := w ^ (ones * '"')
	bs := w ^ (ones * '\\')
	return ((w-ones*0x20)|(q-ones)|(bs-ones)|w)&highs == 0
}

// decodeString finishes a string that needs decoding, from b[i] on, into
// scratch, after copying its plain start b[start:i]. It follows
// encoding/json's unquoting exactly, down to the U+FFFD it writes for each
// invalid UTF-8 byte and for each unpaired surrogate escape.
func decodeString(b []byte, start, i int, scratch []byte) (val strRef, next int, _ []byte, ok bool) {
	s0 := len(scratch)
	scratch = append(scratch, b[start:i]...)
	for i < len(b) {
		if strPlain[b[i]] {
			j := i + 1
			for j < len(b) && strPlain[b[j]] {
				j++
			}
			scratch = append(scratch, b[i:j]...)
			if i = j; i >= len(b) {
				break
			}
		}
		c := b[i]
		switch {
		case c == '"':
			return strRef{^s0, len(scratch) - s0}, i + 1, scratch, true
		case c == '\\':
			if i+1 >= len(b) {
				return strRef{}, 0, scratch, false
			}
			switch e := b[i+1]; e {
			case '"', '\\', '/':
				scratch = append(scratch, e)
			case 'b':
				scratch = append(scratch, '\b')
			case 'f':
				scratch = append(scratch, '\f')
			case 'n':
				scratch = append(scratch, '\n')
			case 'r':
				scratch = append(scratch, '\r')
			case 't':
				scratch = append(scratch, '\t')
			case 'u':
				r := getu4(b[i:])
				if r < 0 {
					return strRef{}, 0, scratch, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// The second half, if any, is still inside the
					// string: past its end b[i] is the closing quote.
					if dec := utf16.DecodeRune(r, getu4(b[i:])); dec != unicode.ReplacementChar {
						r = dec
						i += 6
					} else {
						r = unicode.ReplacementChar
					}
				}
				scratch = utf8.AppendRune(scratch, r)
				continue
			default:
				return strRef{}, 0, scratch, false
			}
			i += 2
		case c < 0x20:
			return strRef{}, 0, scratch, false
		case c < utf8.RuneSelf:
			scratch = append(scratch, c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			scratch = utf8.AppendRune(scratch, r)
			i += size
		}
	}
	return strRef{}, 0, scratch, false
}

// getu4 reads the \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// lastWins keeps, of the scanned fields sharing a key, only the last, as
// encoding/json does. VictoriaLogs writes keys sorted, which rules out
// repeats at the cost of one comparison a field; other orders pay more.
func (sc *rowScratch) lastWins(line []byte) []rawField {
	fields := sc.fields
	key := func(f rawField) []byte { return sc.str(line, f.key) }
	sorted := true
	for i := 1; i < len(fields); i++ {
		if bytes.Compare(key(fields[i-1]), key(fields[i])) >= 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return fields
	}
	// Writing only at or before i leaves the fields after i intact.
	out := fields[:0]
	if len(fields) > 32 {
		last := make(map[string]int, len(fields))
		for i, f := range fields {
			last[string(key(f))] = i
		}
		for i, f := range fields {
			if last[string(key(f))] == i {
				out = append(out, f)
			}
		}
		return out
	}
next:
	for i, f := range fields {
		for _, g := range fields[i+1:] {
			if bytes.Equal(key(f), key(g)) {
				continue next
			}
		}
		out = append(out, f)
	}
	return out
}

// parseTime reads _time as time.Parse(time.RFC3339Nano, ...) does. The
// form VictoriaLogs writes, UTC with up to nine fractional digits, is read
// here directly, in half the time Parse takes; any other form goes to
// Parse itself. false leaves the error to decodeSlow to report.
func parseTime(b []byte) (time.Time, bool) {
	if t, ok := parseUTCTime(b); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	return t, err == nil
}

// parseUTCTime reads "2006-01-02T15:04:05.999999999Z" with the ranges
// time.Parse's RFC 3339 path checks (day within its month, second up to
// 59), so that it takes exactly the texts that path does and agrees with
// it to the bit. It declines offsets, commas and more than nine
// fractional digits rather than mirror Parse's handling of them.
func parseUTCTime(b []byte) (time.Time, bool) {
	const n = len("2006-01-02T15:04:05")
	if len(b) < n+1 || b[len(b)-1] != 'Z' ||
		b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := atoiFixed(b[0:4])
	month, ok2 := atoiFixed(b[5:7])
	day, ok3 := atoiFixed(b[8:10])
	hour, ok4 := atoiFixed(b[11:13])
	minute, ok5 := atoiFixed(b[14:16])
	sec, ok6 := atoiFixed(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[n : len(b)-1]; len(frac) > 0 {
		if len(frac) < 2 || len(frac) > 10 || frac[0] != '.' {
			return time.Time{}, false
		}
		var ok bool
		if nsec, ok = atoiFixed(frac[1:]); !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			nsec *= 10
		}
	}
	days := daysFromCivil(year, month, day)
	return time.Unix(days*86400+int64(hour*3600+minute*60+sec), int64(nsec)).UTC(), true
}

// daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian
// date (H. Hinnant's days_from_civil). With it parseUTCTime skips
// time.Date's normalising and zone lookup, which cost it more than all
// the parsing; time.Unix(...).UTC() builds the very Time that time.Date
// does for UTC.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// atoiFixed reads a run of decimal digits, all of b.
func atoiFixed(b []byte) (int, bool) {
	x := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int(c-'0')
	}
	return x, true
}

// daysIn is the length of month in year, proleptic Gregorian as in time.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
