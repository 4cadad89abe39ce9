package pane

import (
	"strings"

	"github.com/reltui/reltui/sources/sanitize"
)

// History is a query editor's history, walked with ↑/↓ as in a shell: the
// text typed before walking is kept as a draft at the newest end.
type History struct {
	entries []string
	pos     int
	draft   string
	max     int
}

// NewHistory keeps at most max entries.
func NewHistory(max int) History { return History{max: max} }

// Entries returns the history, oldest first, for the caller to persist.
func (h *History) Entries() []string { return append([]string(nil), h.entries...) }

// Set replaces the history, e.g. with one loaded from disk. Entries are
// sanitized: a history file is outside input too.
func (h *History) Set(entries []string) {
	h.entries = h.entries[:0]
	for _, q := range entries {
		if q = strings.TrimSpace(sanitize.Line(q)); q != "" {
			h.entries = append(h.entries, q)
		}
	}
	if len(h.entries) > h.max {
		h.entries = h.entries[len(h.entries)-h.max:]
	}
	h.pos, h.draft = len(h.entries), ""
}

// Add records a query that ran (a repeat of the newest is not added) and
// ends any walk.
func (h *History) Add(q string) {
	if n := len(h.entries); n == 0 || h.entries[n-1] != q {
		h.entries = append(h.entries, q)
		if len(h.entries) > h.max {
			h.entries = h.entries[1:]
		}
	}
	h.pos, h.draft = len(h.entries), ""
}

// Move walks d steps (-1 older, +1 newer) from the editor's current text
// and returns the text to show; ok is false at either end.
func (h *History) Move(d int, current string) (text string, ok bool) {
	p := h.pos + d
	if p < 0 || p > len(h.entries) {
		return "", false
	}
	if h.pos == len(h.entries) {
		h.draft = current
	}
	h.pos = p
	if p == len(h.entries) {
		return h.draft, true
	}
	return h.entries[p], true
}
