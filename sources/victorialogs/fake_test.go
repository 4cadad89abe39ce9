package victorialogs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// fakeVL answers /select/logsql/query the way VictoriaLogs does for the
// pipes this package appends, over an in-memory set of entries. It returns
// rows in random order and cuts ties at random, so a walk that leaned on
// an order VictoriaLogs does not promise would fail here. The real server
// is tested in the integration tests; this fake exists for the paging
// edge cases (long runs at one timestamp, every limit around a page size)
// that a real server cannot be made to show on demand.
type fakeVL struct {
	mu      sync.Mutex
	entries []fakeEntry
	calls   []fakeCall
	rnd     *rand.Rand
}

type fakeEntry struct {
	ts     time.Time
	stream map[string]string
	msg    string
	fields map[string]string
}

type fakeCall struct {
	query          string
	start, end, at time.Time
	limit          int
}

func newFakeVL() *fakeVL { return &fakeVL{rnd: rand.New(rand.NewPCG(1, 2))} }

func (f *fakeVL) add(stream map[string]string, ts time.Time, msg string) {
	f.entries = append(f.entries, fakeEntry{ts: ts, stream: stream, msg: msg})
}

var (
	pageRe = regexp.MustCompile(`\| sort by \(_time( desc)?\) limit (\d+)$`)
	runRe  = regexp.MustCompile(`\| sort by \(_stream_id, _msg\) offset (\d+) limit (\d+)$`)
)

func (f *fakeVL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != queryPath {
		http.Error(w, "unsupported path", http.StatusNotFound)
		return
	}
	q := r.FormValue("query")
	start, err1 := time.Parse(time.RFC3339Nano, r.FormValue("start"))
	end, err2 := time.Parse(time.RFC3339Nano, r.FormValue("end"))
	if err1 != nil || err2 != nil {
		http.Error(w, "bad start or end", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var sel []fakeEntry
	for _, e := range f.entries {
		if !e.ts.Before(start) && e.ts.Before(end) {
			sel = append(sel, e)
		}
	}
	// Shuffle first so that ties come out in a different order each time.
	f.rnd.Shuffle(len(sel), func(i, j int) { sel[i], sel[j] = sel[j], sel[i] })
	at, _ := time.Parse(time.RFC3339Nano, r.FormValue("time"))
	call := fakeCall{query: q, start: start, end: end, at: at}
	switch {
	case pageRe.MatchString(q):
		m := pageRe.FindStringSubmatch(q)
		call.limit, _ = strconv.Atoi(m[2])
		desc := m[1] != ""
		slices.SortStableFunc(sel, func(a, b fakeEntry) int {
			if desc {
				return b.ts.Compare(a.ts)
			}
			return a.ts.Compare(b.ts)
		})
		sel = sel[:min(len(sel), call.limit)]
	case runRe.MatchString(q):
		m := runRe.FindStringSubmatch(q)
		off, _ := strconv.Atoi(m[1])
		call.limit, _ = strconv.Atoi(m[2])
		slices.SortStableFunc(sel, func(a, b fakeEntry) int {
			if c := strings.Compare(formatStream(a.stream), formatStream(b.stream)); c != 0 {
				return c
			}
			return strings.Compare(a.msg, b.msg)
		})
		sel = sel[min(off, len(sel)):]
		sel = sel[:min(len(sel), call.limit)]
	default:
		http.Error(w, "fake: unsupported query "+q, http.StatusBadRequest)
		return
	}
	f.calls = append(f.calls, call)
	// Rows go out shuffled again: VictoriaLogs promises no order.
	f.rnd.Shuffle(len(sel), func(i, j int) { sel[i], sel[j] = sel[j], sel[i] })
	w.Header().Set("Content-Type", "application/stream+json")
	enc := json.NewEncoder(w)
	for _, e := range sel {
		row := map[string]string{"_time": e.ts.UTC().Format(time.RFC3339Nano), "_msg": e.msg,
			"_stream": formatStream(e.stream), "_stream_id": fmt.Sprintf("%x", formatStream(e.stream))}
		for k, v := range e.stream {
			row[k] = v
		}
		for k, v := range e.fields {
			row[k] = v
		}
		_ = enc.Encode(row)
	}
}

func (f *fakeVL) allEntries() []sources.LogEntry {
	out := make([]sources.LogEntry, len(f.entries))
	for i, e := range f.entries {
		out[i] = sources.LogEntry{Time: e.ts, Labels: e.stream, Line: e.msg}
	}
	return out
}

func newFakeClient(t *testing.T, f *fakeVL, pageSize int) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := New(Config{Address: srv.URL, PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
