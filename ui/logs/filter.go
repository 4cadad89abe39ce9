package logs

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// filter is the `/` search over the buffer: a case-insensitive substring.
// matches holds the absolute indices of matching rows in order; it grows as
// tailed rows arrive, so a filter never rescans the whole buffer after it is
// set.
type filter struct {
	text    string // as typed
	needle  string // lowercased
	ascii   bool
	matches []int64
	// next is the oldest row not yet tested: rows [first, next) are
	// scanned. A new filter scans in chunks (see scan.go); once next
	// reaches the buffer's end, tailed rows are tested as they arrive.
	next int64
	// ctxView is the list shown with context on: every match with up to
	// contextLines rows either side, merged, in order.
	ctxView []int64
}

func newFilter(text string) *filter {
	n := strings.ToLower(text)
	return &filter{text: text, needle: n, ascii: isASCII(n)}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// match reports whether s contains the needle, ignoring case. The ASCII
// path allocates nothing, which matters when a million rows are scanned.
func (f *filter) match(s string) bool {
	if f.ascii {
		return indexFoldASCII(s, f.needle, 0) >= 0
	}
	return strings.Contains(strings.ToLower(s), f.needle)
}

// indexFoldASCII finds the lowercase ASCII needle in s from byte from.
func indexFoldASCII(s, needle string, from int) int {
	n := len(needle)
	if n == 0 {
		return -1
	}
	c0 := needle[0]
	u0 := c0
	if 'a' <= c0 && c0 <= 'z' {
		u0 = c0 - 'a' + 'A'
	}
	for i := from; i+n <= len(s); i++ {
		c := s[i]
		if c != c0 && c != u0 {
			continue
		}
		j := 1
		for ; j < n; j++ {
			d := s[i+j]
			if 'A' <= d && d <= 'Z' {
				d += 'a' - 'A'
			}
			if d != needle[j] {
				break
			}
		}
		if j == n {
			return i
		}
	}
	return -1
}

// spans returns the byte ranges of s that match, for highlighting.
func (f *filter) spans(s string) [][2]int {
	if f == nil || f.needle == "" {
		return nil
	}
	var out [][2]int
	if f.ascii {
		for i := 0; ; {
			j := indexFoldASCII(s, f.needle, i)
			if j < 0 {
				return out
			}
			out = append(out, [2]int{j, j + len(f.needle)})
			i = j + len(f.needle)
		}
	}
	// Lowercasing can change byte lengths outside ASCII; only highlight
	// when it did not, so the spans line up with s.
	low := strings.ToLower(s)
	if len(low) != len(s) {
		return nil
	}
	for i := 0; ; {
		j := strings.Index(low[i:], f.needle)
		if j < 0 {
			return out
		}
		out = append(out, [2]int{i + j, i + j + len(f.needle)})
		i += j + len(f.needle)
	}
}

// scan tests rows [from, to) of b and appends the matches.
func (f *filter) scan(b *buffer, from, to int64) {
	for abs := from; abs < to; abs++ {
		if f.match(b.at(abs).text) {
			f.matches = append(f.matches, abs)
		}
	}
}

// trim forgets matches the buffer has evicted.
func (f *filter) trim(first int64) {
	i := sort.Search(len(f.matches), func(i int) bool { return f.matches[i] >= first })
	if i > 0 {
		f.matches = append(f.matches[:0], f.matches[i:]...)
	}
}

// isMatch reports whether abs is a match.
func (f *filter) isMatch(abs int64) bool {
	i := sort.Search(len(f.matches), func(i int) bool { return f.matches[i] >= abs })
	return i < len(f.matches) && f.matches[i] == abs
}

// buildContext merges each match with n rows either side, within [first, end).
func (f *filter) buildContext(n int, first, end int64) {
	out := f.ctxView[:0]
	next := first // the lowest row not yet emitted
	for _, m := range f.matches {
		lo := max(m-int64(n), next)
		hi := min(m+int64(n)+1, end)
		for a := lo; a < hi; a++ {
			out = append(out, a)
		}
		next = max(next, hi)
	}
	f.ctxView = out
}
