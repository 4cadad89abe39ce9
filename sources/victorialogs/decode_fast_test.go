package victorialogs

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// fastMap is what the fast scanner makes of a row, as the map
// encoding/json would make of it.
func fastMap(line []byte) (map[string]string, bool) {
	sc := &rowScratch{}
	if !sc.scanFlatRow(line) {
		return nil, false
	}
	m := map[string]string{}
	for _, f := range sc.lastWins(line) {
		m[string(sc.str(line, f.key))] = string(sc.str(line, f.val))
	}
	return m, true
}

// flatStrings reports whether line is one JSON object whose every value,
// repeats included, is a string: the rows the fast scanner must take.
func flatStrings(line []byte) bool {
	if !json.Valid(line) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		if _, err := dec.Token(); err != nil { // the key
			return false
		}
		if tok, err := dec.Token(); err != nil {
			return false
		} else if _, isString := tok.(string); !isString {
			return false
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// decodeRef is decodeEntry as it was before the fast path.
func decodeRef(line []byte, in *interner) (sources.LogEntry, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return sources.LogEntry{}, &notJSON{line: string(line)}
	}
	return decodeSlow(line, in)
}

// sameEntry compares strictly: nil metadata apart from empty, and times
// by sameTime.
func sameEntry(a, b sources.LogEntry) bool {
	return sameTime(a.Time, b.Time) && a.Line == b.Line && maps.Equal(a.Labels, b.Labels) &&
		(a.Labels == nil) == (b.Labels == nil) &&
		maps.Equal(a.Metadata, b.Metadata) && (a.Metadata == nil) == (b.Metadata == nil)
}

// sameTime is == where it can be: time.Parse gives each time with a
// numeric offset a fresh FixedZone, so two parses of one text differ in
// their location pointer alone; their instant and zone must still agree.
func sameTime(a, b time.Time) bool {
	if a == b {
		return true
	}
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && a.Location().String() == b.Location().String()
}

// trickyRows seed the differential fuzzing with what a JSON decoder gets
// wrong: every escape, surrogates whole, lone and misordered, invalid
// UTF-8, repeated keys, odd whitespace, and every non-string value.
var trickyRows = []string{
	`{}`, ` { } `, "\t{ \"a\" :\n\"b\" ,\r\"c\":\"d\" }\n", `{"":""}`,
	`{"a":"\"\\\/\b\f\n\r\t"}`, `{"a":"\u0041\u00e9\u20AC\u0000\u001f"}`,
	`{"a":"\ud83d\ude00"}`, `{"a":"\uD83D\uDE00"}`, `{"a":"\ud800"}`, `{"a":"\udc00"}`,
	`{"a":"\ud800\u0041"}`, `{"a":"\ud800\ud800\udc00"}`, `{"a":"x\ud83d"}`, `{"a":"\ud83d\ude0"}`,
	`{"a":"\udbff\udfff\ud800\udc00"}`, `{"\ud83d\ude00":"k"}`,
	"{\"a\":\"\xff\"}", "{\"\xc3\":\"\xe2\x82\"}", "{\"a\":\"\xc0\xaf\xed\xa0\x80\"}",
	"{\"a\":\"\xef\xbf\xbd\xf0\x9f\x98\"}", "{\"a\":\"\x7f\xc2\xa0é東📦\"}", "\xef\xbb\xbf{}",
	`{"a":"1","a":"2"}`, `{"a":"1","b":"x","a":""}`, `{"b":"1","a":"2","b":"3"}`,
	"{\"a\":\"x\ny\"}", `{"a":"\'"}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`, `{"a":"\`,
	`{"a":1}`, `{"a":null}`, `{"a":{"b":"c"}}`, `{"a":["b"]}`, `{"a":true}`, `{"a":"x","n":-1.5e3}`,
	`{"a":"b",}`, `{"a":"b"`, `{"a" "b"}`, `{"a":"b"}x`, `{"a":"b"}{}`, `null`, `[]`, `"x"`, `{,}`,
	`{"a":"b",,"c":"d"}`, `{a:"b"}`, `{'a':'b'}`,
	`{"_time":"2026-12-05T14:01:06Z","_msg":"m"}`,
	`{"_time":"2026-12-05T14:01:06.1234567891Z"}`, `{"_time":"2026-12-05T16:01:06.5+02:00"}`,
	`{"_time":"2024-02-29T00:00:00Z"}`, `{"_time":"2026-02-29T00:00:00Z"}`, `{"_time":"0000-01-01T00:00:00Z"}`,
	`{"_time":"9999-12-31T23:59:59.999999999Z"}`, `{"_time":"2026-12-05T24:00:00Z"}`,
	`{"_time":"2026-12-05T14:01:60Z"}`, `{"_time":"2026-12-05T14:01:06,5Z"}`, `{"_time":"2026-12-05t14:01:06z"}`,
	`{"_time":"2026-12-05T14:01:06.Z"}`, `{"_time":""}`, `{"_time":"2026-12-05T14:01:06Z","_time":"x"}`,
	`{"_time":"2026-01-01T00:00:00Z","_stream":"garbage","a":"b"}`,
	`{"_time":"2026-01-01T00:00:00Z","_stream":"{a=\"b\\\"c\"}","a":"b\"c","_stream_id":"x"}`,
	`{"_time":"2026-01-01T00:00:00Z","_stream":"{app=\"a\"}","app":"b","x":"","_msg":""}`,
	`{"app":"a","_stream":"{app=\"a\"}","_time":"2026-01-01T00:00:00Z","app":"z"}`,
}

// FuzzFastDecodeMatchesJSON is the differential proof of the fast path:
// what the scanner accepts, encoding/json decodes to the same map; every
// flat object of strings encoding/json reads, the scanner accepts; and
// decodeEntry, fast or not, returns what it returned before the fast path
// existed, errors included.
func FuzzFastDecodeMatchesJSON(f *testing.F) {
	for _, s := range append(append([]string{}, trickyRows...), benchRows...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		got, ok := fastMap(line)
		var want map[string]string
		err := json.Unmarshal(line, &want)
		if ok && (err != nil || want == nil || !maps.Equal(got, want)) {
			t.Fatalf("%q: fast %q, encoding/json %q, %v", line, got, want, err)
		}
		if !ok && flatStrings(line) {
			t.Fatalf("%q: a flat object of strings was left to the slow path", line)
		}

		// The whole entry, fast path or not, is what it was before it.
		e, err := decodeEntry(line, newInterner())
		ref, refErr := decodeRef(line, newInterner())
		if (err == nil) != (refErr == nil) || err != nil && err.Error() != refErr.Error() {
			t.Fatalf("%q: error %v, before %v", line, err, refErr)
		}
		if err == nil && !sameEntry(e, ref) {
			t.Fatalf("%q:\n got %+v\nwant %+v", line, e, ref)
		}
	})
}

// FuzzParseTimeMatchesParse holds the _time fast path to time.Parse:
// where parseUTCTime answers, the two times are identical to the bit.
func FuzzParseTimeMatchesParse(f *testing.F) {
	for _, s := range []string{"2026-12-05T14:01:06.896126059Z", "2026-12-05T14:01:06Z", "2024-02-29T00:00:00.5Z",
		"1900-02-29T00:00:00Z", "2000-02-29T23:59:59.000000001Z", "2026-12-05T14:01:06.1234567891Z",
		"2026-12-05T16:01:06+02:00", "2026-12-05T14:01:06,5Z", "2026-13-05T14:01:06Z", "+2026-12-05T14:01:06Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := time.Parse(time.RFC3339Nano, s)
		if fast, ok := parseUTCTime([]byte(s)); ok && (err != nil || fast != want) {
			t.Fatalf("%q: fast %v, time.Parse %v, %v", s, fast, want, err)
		}
		if got, ok := parseTime([]byte(s)); ok != (err == nil) || !sameTime(got, want) {
			t.Fatalf("%q: %v %v, time.Parse %v, %v", s, got, ok, want, err)
		}
	})
}

// TestParseUTCTimeCalendar walks the calendar's edges, which random
// inputs rarely hit: every day of every month in leap and common years,
// and each field's bounds.
func TestParseUTCTimeCalendar(t *testing.T) {
	// canonical is whether s has the one form parseUTCTime must take
	// whenever time.Parse does; other forms it may leave to time.Parse.
	check := func(s string, canonical bool) {
		want, err := time.Parse(time.RFC3339Nano, s)
		got, ok := parseUTCTime([]byte(s))
		if ok && (err != nil || got != want) || canonical && ok != (err == nil) {
			t.Errorf("%q: fast %v %v, time.Parse %v, %v", s, got, ok, want, err)
		}
	}
	for _, year := range []int{0, 1, 4, 100, 400, 1900, 1970, 2000, 2024, 2026, 2100, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				check(fmt.Sprintf("%04d-%02d-%02dT12:00:00Z", year, month, day), true)
			}
		}
	}
	for _, clock := range []string{"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:00:60", "09:0a:00"} {
		check("2026-12-05T"+clock+"Z", true)
	}
	check("2026-12-05T9:00:00Z", false)
	for n := 1; n <= 11; n++ {
		check("2026-12-05T14:01:06."+strings.Repeat("7", n)+"Z", n <= 9)
	}
	check("2026-12-05T14:01:06.Z", false)
}

// TestDecodeFastTakesVictoriaLogsRows keeps the benchmarks honest: the
// rows VictoriaLogs writes must take the fast path, not fall back.
func TestDecodeFastTakesVictoriaLogsRows(t *testing.T) {
	in := newInterner()
	for _, r := range benchRows {
		e, ok := decodeFast([]byte(r), in)
		ref, err := decodeRef([]byte(r), newInterner())
		if !ok || err != nil || !sameEntry(e, ref) {
			t.Errorf("%s: fast %v %+v, slow %+v %v", r, ok, e, ref, err)
		}
	}
}

// TestDecodeFastLargeRows covers what the pooled scratch must grow for or
// refuse to keep: many fields, unsorted repeats past the quadratic check,
// and escaped text larger than the pool keeps.
func TestDecodeFastLargeRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"_time":"2026-01-01T00:00:00Z"`)
	for i := 99; i >= 0; i-- {
		fmt.Fprintf(&b, `,"k%d":"v%d\n"`, i%40, i)
	}
	fmt.Fprintf(&b, `,"_msg":"%s"}`, strings.Repeat(`\"\u00e9`, maxPooledScratch))
	line := []byte(b.String())
	for range 3 { // the second and third see a pool the first left
		e, err := decodeEntry(line, newInterner())
		ref, refErr := decodeRef(line, newInterner())
		if err != nil || refErr != nil || !sameEntry(e, ref) || len(e.Metadata) != 40 || e.Metadata["k0"] != "v0\n" {
			t.Fatalf("%v %v, %d fields, k0 %q", err, refErr, len(e.Metadata), e.Metadata["k0"])
		}
	}
}

// TestDecodeFastConcurrent decodes from many goroutines at once, as
// parallel pages and tails do, so that -race sees the pooled scratch
// shared.
func TestDecodeFastConcurrent(t *testing.T) {
	in := newInterner()
	rows := append(append([]string{}, benchRows...), trickyRows...)
	want := make([]sources.LogEntry, len(rows))
	wantErr := make([]error, len(rows))
	for i, r := range rows {
		want[i], wantErr[i] = decodeRef([]byte(r), newInterner())
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				i := (g + k) % len(rows)
				e, err := decodeEntry([]byte(rows[i]), in)
				if (err == nil) != (wantErr[i] == nil) || err == nil && !sameEntry(e, want[i]) {
					t.Errorf("%s: %+v %v, want %+v %v", rows[i], e, err, want[i], wantErr[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestPlain8 checks the word-at-a-time test against the table it stands
// for: every byte value at every position of an otherwise plain word, and
// random words, which put several odd bytes (and borrows) in one word.
func TestPlain8(t *testing.T) {
	want := func(w [8]byte) bool {
		for _, c := range w {
			if !strPlain[c] {
				return false
			}
		}
		return true
	}
	w := [8]byte{'a', '=', ' ', '~', '0', '{', '}', 'Z'}
	for pos := range 8 {
		for c := range 256 {
			x := w
			x[pos] = byte(c)
			if got := plain8(binary.LittleEndian.Uint64(x[:])); got != want(x) {
				t.Fatalf("%q: %v", x, got)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1 << 20 {
		var x [8]byte
		binary.LittleEndian.PutUint64(x[:], rng.Uint64())
		for k := range x { // mostly plain, as text is
			if rng.IntN(4) > 0 {
				x[k] = byte(0x20 + rng.IntN(0x60))
			}
		}
		if got := plain8(binary.LittleEndian.Uint64(x[:])); got != want(x) {
			t.Fatalf("%q: %v", x, got)
		}
	}
}
