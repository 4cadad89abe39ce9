package storetest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// The child protocol: the test binary re-executes itself with these
// variables set; ChildMain (called from TestMain) sees them and becomes a
// writer instead of running tests. It prints "ready" once the store is
// open, then "ack I SEQ" after each committed write, each line in one
// write(2) so a SIGKILL can cut at most the line being written.
const (
	envMode     = "RELTUI_STORETEST_CHILD"
	envTarget   = "RELTUI_STORETEST_TARGET"
	envIncident = "RELTUI_STORETEST_INCIDENT"
	envStart    = "RELTUI_STORETEST_START"
	envCount    = "RELTUI_STORETEST_COUNT"
	envTag      = "RELTUI_STORETEST_TAG"
)

// Opener opens the store a child writes to; target is whatever the parent
// put in Config.Target (a file path, a DSN).
type Opener func(ctx context.Context, target string) (incidents.Store, error)

// ChildMain must be called first thing in TestMain. In a child it runs the
// writer and exits; in the parent it returns at once.
func ChildMain(open Opener) {
	mode := os.Getenv(envMode)
	if mode == "" {
		return
	}
	os.Exit(child(mode, open))
}

func child(mode string, open Opener) int {
	ctx := context.Background()
	id, _ := strconv.ParseInt(os.Getenv(envIncident), 10, 64)
	start, _ := strconv.Atoi(os.Getenv(envStart))
	count, _ := strconv.Atoi(os.Getenv(envCount))
	tag := os.Getenv(envTag)
	s, err := open(ctx, os.Getenv(envTarget))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 3
	}
	defer s.Close()
	os.Stdout.WriteString("ready\n")
	if mode == "writer" {
		// Wait for "go" so both writers start together.
		if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
			return 4
		}
	}
	for i := start; i < count; i++ {
		ev, err := s.Append(ctx, id, incidents.Write{
			Key: fmt.Sprintf("%s-%d", tag, i), Author: tag, Kind: incidents.KindNote, Text: fmt.Sprintf("%s %d", tag, i),
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "append %d: %v\n", i, err)
			return 5
		}
		os.Stdout.WriteString(fmt.Sprintf("ack %d %d\n", i, ev.Seq))
	}
	os.Stdout.WriteString("done\n")
	return 0
}

// Config describes the store the reliability tests hammer.
type Config struct {
	// Target is passed to the children's Opener.
	Target string
	// Open opens the same store in the test process, for setup and checks.
	Open func(t *testing.T) incidents.Store
	// Check verifies the store's physical integrity after the crashes
	// (PRAGMA integrity_check, index checks).
	Check func(t *testing.T)
}

type childProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	done  chan struct{}
}

func startChild(t *testing.T, mode, target string, id int64, tag string, start, count int) *childProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		envMode+"="+mode, envTarget+"="+target, envIncident+"="+strconv.FormatInt(id, 10),
		envStart+"="+strconv.Itoa(start), envCount+"="+strconv.Itoa(count), envTag+"="+tag)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &childProc{cmd: cmd, stdin: in, lines: make(chan string, 4096), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		defer close(p.lines)
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return // a line cut by the kill has no newline: it never counts
			}
			p.lines <- strings.TrimSuffix(line, "\n")
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

// parseAck returns the index and seq of an "ack I SEQ" line.
func parseAck(line string) (int, int64, bool) {
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != "ack" {
		return 0, 0, false
	}
	i, err1 := strconv.Atoi(f[1])
	seq, err2 := strconv.ParseInt(f[2], 10, 64)
	return i, seq, err1 == nil && err2 == nil
}

// CrashResult is what a crash run measured, for the test log.
type CrashResult struct {
	Rounds, KilledMidWrite, KilledBeforeReady int
	// AckedUnderFire were acked by children that were later killed;
	// Acked counts the final, unkilled child's too.
	AckedUnderFire, Acked int
	Elapsed               time.Duration
}

// Crash runs the kill -9 test: a child appends events (1,000 in all)
// with idempotency keys and acks each commit; the parent SIGKILLs it at a
// random moment, over and over, each new child resuming at the first
// unacked event (which may or may not have committed: its retry must not
// duplicate it). Afterwards every acked event must be present exactly
// once, every event exactly once, the sequence gapless, and the store
// sound.
func Crash(t *testing.T, cfg Config, rounds, events int) CrashResult {
	s := cfg.Open(t)
	inc := newSuite().declare(t, s, "crash test", time.Now().Add(-time.Hour), time.Time{})
	var res CrashResult
	began := time.Now()
	acked := map[int]int64{}
	next := 0
	perEvent := 2 * time.Millisecond // refined from what the children show
	rng := rand.New(rand.NewPCG(uint64(began.UnixNano()), 7))
	for res.Rounds < rounds {
		res.Rounds++
		p := startChild(t, "crash", cfg.Target, inc.ID, "crash", next, events)
		// One round in eight is killed at a random moment after exec,
		// often while the store is still opening; the rest are killed a
		// random number of writes' worth after "ready".
		var readyAt time.Time
		if rng.IntN(8) == 0 {
			time.Sleep(time.Duration(rng.IntN(15)) * time.Millisecond)
		} else {
			waitReady(t, p)
			readyAt = time.Now()
			remaining := max(events-next, 1)
			target := max(remaining/max(rounds-res.Rounds+1, 1), 1)
			time.Sleep(time.Duration(rng.Int64N(int64(2*target)*int64(perEvent) + 1)))
		}
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
		<-p.done
		n, ready, done := drain(t, p, acked, &next, readyAt.IsZero())
		switch {
		case !ready:
			res.KilledBeforeReady++
		case !done:
			res.KilledMidWrite++
		}
		if !readyAt.IsZero() && n > 1 {
			perEvent = (perEvent + time.Since(readyAt)/time.Duration(n)) / 2
		}
	}
	res.AckedUnderFire = len(acked)
	// Finish the remaining events without a kill.
	p := startChild(t, "crash", cfg.Target, inc.ID, "crash", next, events)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("final child: %v: %s", err, p.cmd.Stderr)
	}
	<-p.done
	if _, _, done := drain(t, p, acked, &next, true); !done {
		t.Fatal("final child did not finish")
	}
	res.Acked = len(acked)
	res.Elapsed = time.Since(began)
	verify(t, cfg.Open(t), inc.ID, map[string]int{"crash": events}, acked)
	cfg.Check(t)
	return res
}

func waitReady(t *testing.T, p *childProc) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				err := p.cmd.Wait()
				t.Fatalf("child exited before ready (%v): %v", err, p.cmd.Stderr)
			}
			if line == "ready" {
				return
			}
		case <-timeout:
			t.Fatal("child not ready after 30s")
		}
	}
}

// drain reads what a dead child printed and returns how many acks it
// gave, whether it got its store open (ready was consumed already unless
// readyPending) and whether it finished.
func drain(t *testing.T, p *childProc, acked map[int]int64, next *int, readyPending bool) (int, bool, bool) {
	t.Helper()
	n, ready, done := 0, !readyPending, false
	for line := range p.lines {
		switch line {
		case "done":
			done = true
		case "ready":
			ready = true
		}
		if i, seq, ok := parseAck(line); ok {
			if prev, dup := acked[i]; dup && prev != seq {
				t.Fatalf("event %d acked as seq %d and again as seq %d", i, prev, seq)
			}
			acked[i] = seq
			n++
			if i+1 > *next {
				*next = i + 1
			}
		}
	}
	return n, ready, done
}

// verify checks the incident holds, for each writer tag, events 0..n-1
// exactly once and in order, with gapless seqs, and that every acked
// event is there with the seq it was acked with.
func verify(t *testing.T, s incidents.Store, id int64, writers map[string]int, acked map[int]int64) {
	t.Helper()
	inc := mustGet(t, s, id)
	seen := map[string]int64{}
	lastIndex := map[string]int{}
	for i, e := range inc.Events {
		if e.Seq != int64(i+1) {
			t.Fatalf("position %d has seq %d: the sequence has a gap or a duplicate", i, e.Seq)
		}
		if e.Kind != incidents.KindNote {
			continue
		}
		if _, dup := seen[e.Key]; dup {
			t.Fatalf("event %q is stored twice", e.Key)
		}
		seen[e.Key] = e.Seq
		tag, num, _ := strings.Cut(e.Key, "-")
		n, err := strconv.Atoi(num)
		if err != nil || e.Text != fmt.Sprintf("%s %d", tag, n) {
			t.Fatalf("event %d: key %q text %q", e.Seq, e.Key, e.Text)
		}
		if prev, ok := lastIndex[tag]; ok && n <= prev {
			t.Fatalf("writer %s: event %d stored after %d", tag, n, prev)
		}
		lastIndex[tag] = n
	}
	total := 0
	for tag, n := range writers {
		total += n
		for i := 0; i < n; i++ {
			if _, ok := seen[fmt.Sprintf("%s-%d", tag, i)]; !ok {
				t.Fatalf("event %s-%d is missing", tag, i)
			}
		}
	}
	if len(seen) != total {
		t.Fatalf("%d note events, want %d", len(seen), total)
	}
	for i, seq := range acked {
		if got := seen[fmt.Sprintf("crash-%d", i)]; got != seq {
			t.Fatalf("acked event %d was seq %d, stored as seq %d", i, seq, got)
		}
	}
}

// ConcurrentWriters starts two processes that each append n events to one
// incident at the same moment, and checks none is lost or duplicated and
// each writer's events keep their order in the gapless sequence.
func ConcurrentWriters(t *testing.T, cfg Config, n int) time.Duration {
	s := cfg.Open(t)
	inc := newSuite().declare(t, s, "two writers", time.Now().Add(-time.Hour), time.Time{})
	procs := []*childProc{
		startChild(t, "writer", cfg.Target, inc.ID, "a", 0, n),
		startChild(t, "writer", cfg.Target, inc.ID, "b", 0, n),
	}
	for _, p := range procs {
		waitReady(t, p)
	}
	began := time.Now()
	for _, p := range procs {
		if _, err := p.stdin.Write([]byte("go\n")); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(procs))
	for i, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range p.lines {
			}
			if err := p.cmd.Wait(); err != nil {
				errs[i] = fmt.Errorf("writer %d: %v: %s", i, err, p.cmd.Stderr)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	verify(t, s, inc.ID, map[string]int{"a": n, "b": n}, nil)
	cfg.Check(t)
	return elapsed
}
