package logtail

import (
	"hash/maphash"
	"slices"
	"time"

	"github.com/reltui/reltui/sources"
)

// entryKey identifies a delivered entry cheaply: timestamp plus a hash of
// stream labels and line. A 64-bit hash over a few tens of thousands of
// entries makes a false "already seen" vanishingly unlikely.
type entryKey struct {
	ts int64
	h  uint64
}

// cursor is where a tail stands: what it delivered last and what it still
// remembers having delivered.
type cursor struct {
	start  time.Time // where the caller asked to begin
	floor  time.Time // entries older are never delivered; zero for none
	last   time.Time // newest timestamp delivered; zero before the first
	atLast map[entryKey]struct{}
	seen   seenRing
	seed   maphash.Seed
}

func newCursor(start time.Time, seen int) *cursor {
	return &cursor{start: start, seed: maphash.MakeSeed(), seen: seenRing{size: seen}}
}

// key hashes the labels in sorted order with length prefixes, so that no
// two different label sets or lines hash the same input.
func (cur *cursor) key(e sources.LogEntry) entryKey {
	var h maphash.Hash
	h.SetSeed(cur.seed)
	names := make([]string, 0, len(e.Labels))
	for k := range e.Labels {
		names = append(names, k)
	}
	slices.Sort(names)
	writeLen := func(s string) {
		n := uint64(len(s))
		var b [8]byte
		for i := range b {
			b[i] = byte(n >> (8 * i))
		}
		_, _ = h.Write(b[:])
		_, _ = h.WriteString(s)
	}
	for _, k := range names {
		writeLen(k)
		writeLen(e.Labels[k])
	}
	_ = h.WriteByte(0xff)
	writeLen(e.Line)
	return entryKey{ts: e.Time.UnixNano(), h: h.Sum64()}
}

// resumeFrom is where catching up starts: the newest timestamp delivered,
// inclusive, or the requested start if nothing came yet.
func (cur *cursor) resumeFrom() time.Time {
	if cur.last.IsZero() {
		return cur.start
	}
	return cur.last
}

// admit drops entries from before the start the caller asked for (Loki's
// tail opens behind its clock, VictoriaLogs' first pass reaches back) and
// entries already delivered, and records the rest.
func (cur *cursor) admit(es []sources.LogEntry) []sources.LogEntry {
	out := make([]sources.LogEntry, 0, len(es))
	for _, e := range es {
		if e.Time.Before(cur.floor) {
			continue
		}
		k := cur.key(e)
		if cur.seen.has(k) {
			continue
		}
		if _, dup := cur.atLast[k]; dup && e.Time.Equal(cur.last) {
			continue
		}
		cur.seen.add(k)
		switch {
		case e.Time.After(cur.last):
			cur.last = e.Time
			cur.atLast = map[entryKey]struct{}{k: {}}
		case e.Time.Equal(cur.last):
			cur.atLast[k] = struct{}{}
		}
		out = append(out, e)
	}
	return out
}

// seenRing remembers the last size keys.
type seenRing struct {
	size int
	keys []entryKey
	pos  int
	set  map[entryKey]struct{}
}

func (r *seenRing) has(k entryKey) bool {
	_, ok := r.set[k]
	return ok
}

func (r *seenRing) add(k entryKey) {
	if r.size <= 0 {
		r.size = DefaultSeen
	}
	if r.set == nil {
		r.set = make(map[entryKey]struct{}, r.size)
		r.keys = make([]entryKey, 0, r.size)
	}
	if _, ok := r.set[k]; ok {
		return
	}
	if len(r.keys) < r.size {
		r.keys = append(r.keys, k)
	} else {
		delete(r.set, r.keys[r.pos])
		r.keys[r.pos] = k
		r.pos = (r.pos + 1) % r.size
	}
	r.set[k] = struct{}{}
}

// maxWarnings bounds the warnings a long-lived tail keeps.
const maxWarnings = 32

// warnings collects warnings once each, at most maxWarnings of them.
type warnings struct {
	list []string
	seen map[string]bool
}

func (w *warnings) add(ws ...string) {
	for _, s := range ws {
		if s == "" || w.seen[s] || len(w.list) >= maxWarnings {
			continue
		}
		if w.seen == nil {
			w.seen = map[string]bool{}
		}
		w.seen[s] = true
		w.list = append(w.list, s)
	}
}
