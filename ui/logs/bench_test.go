package logs

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// benchEntries makes n realistic entries over 20 streams, oldest first,
// the way the loki client hands them over: label maps shared per stream.
func benchEntries(n int) []sources.LogEntry {
	streams := make([]map[string]string, 20)
	for i := range streams {
		streams[i] = map[string]string{"service_name": fmt.Sprintf("svc-%02d", i), "env": "prod", "namespace": "shop"}
	}
	es := make([]sources.LogEntry, n)
	start := fixedNow.Add(-time.Duration(n) * time.Millisecond)
	for i := range es {
		var line string
		switch i % 3 {
		case 0:
			line = fmt.Sprintf(`ts=2026-11-22T10:04:05.%06dZ level=info msg="request handled" method=GET path=/api/orders/%d status=200 duration_ms=%d`, i%1000000, i, i%300)
		case 1:
			line = fmt.Sprintf(`{"level":"warn","msg":"slow upstream","upstream":"inventory","took_ms":%d,"request_id":"req-%08x"}`, i%900, i)
		case 2:
			line = fmt.Sprintf(`level=error msg="charge failed" order_id=%d err="card declined" trace_id=%016x`, i, i*7919)
		}
		es[i] = sources.LogEntry{Time: start.Add(time.Duration(i) * time.Millisecond), Labels: streams[i%20], Line: line}
	}
	return es
}

func benchModel(b *testing.B, rows []row) *Model {
	m := buildIn(b, termenv.ANSI256, Config{Source: &fakeSource{}, Basics: atFixedNow(), MaxLines: len(rows)})
	m.SetSize(200, 50)
	m.editor.SetValue(`{env="prod"}`)
	m.Update(queryAnswer(m, answer{rows: rows}))
	return m
}

// BenchmarkView renders a 200x50 frame over buffers of 10k, 100k and 1M
// lines. A frame draws only the visible rows, so ns/op should stay flat.
func BenchmarkView(b *testing.B) {
	all := buildRows(benchEntries(1_000_000), false)
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		rows := all[len(all)-n:]
		for _, v := range []struct {
			name  string
			setup func(m *Model)
		}{
			{"plain", func(*Model) {}},
			{"labels+wrap+filter", func(m *Model) {
				m.showLabels, m.wrap = true, true
				finishScan(m, m.setFilter("inventory"))
				m.clampScroll()
			}},
		} {
			b.Run(fmt.Sprintf("%s/lines=%d", v.name, n), func(b *testing.B) {
				m := benchModel(b, rows)
				v.setup(m)
				m.move(-m.listHeight() * 3) // somewhere in the middle of the screen history
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkScroll is one key press (j) plus the frame it causes.
func BenchmarkScroll(b *testing.B) {
	m := benchModel(b, buildRows(benchEntries(1_000_000), false))
	press(m, "g")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(panetest.Key("j"))
		_ = m.View()
	}
}

// BenchmarkFilterScan is applying `/` to a million buffered lines, all
// its chunks together: the one operation that is linear in the buffer
// (tailed lines are tested as they arrive instead).
func BenchmarkFilterScan(b *testing.B) {
	m := benchModel(b, buildRows(benchEntries(1_000_000), false))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		finishScan(m, m.setFilter("INVENTORY"))
	}
	b.ReportMetric(float64(len(m.flt.matches)), "matches")
}

// BenchmarkFilterUpdate times each Update while `/` filters a million
// buffered lines: the enter that sets the filter, then each scan step.
// frames is the longest Update over one frame at bubbletea's 60 fps
// (16.7 ms) and must stay below 1. On a machine other processes load, the
// wall-clock longest also catches their preemptions, so the median is
// reported, and the longest in CPU time of the Update's own thread
// (max-cpu-ms/update, Linux), which preemption does not inflate.
func BenchmarkFilterUpdate(b *testing.B) {
	m := benchModel(b, buildRows(benchEntries(1_000_000), false))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var took, cpu []time.Duration
	steps := 0
	timed := func(msg tea.Msg) {
		c0, t0 := threadCPU(), time.Now()
		m.Update(msg)
		took, cpu = append(took, time.Since(t0)), append(cpu, threadCPU()-c0)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		press(m, "/")
		m.input.SetValue("inventory")
		timed(panetest.Key("enter"))
		for m.scanning() {
			// What the step Cmd returns (TestFilterScansInSteps checks it).
			steps++
			timed(filterStepMsg{pane: m.id, gen: m.fltGen})
		}
		if m.scanning() {
			b.Fatal("scan did not finish")
		}
		press(m, "esc")
	}
	slices.Sort(took)
	slices.Sort(cpu)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms/update")
	b.ReportMetric(ms(took[len(took)-1]), "max-ms/update")
	b.ReportMetric(ms(cpu[len(cpu)-1]), "max-cpu-ms/update")
	b.ReportMetric(float64(cpu[len(cpu)-1])/float64(time.Second/60), "frames")
	b.ReportMetric(float64(steps)/float64(b.N), "steps")
}

// threadCPU is the CPU time of the calling OS thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is Linux's RUSAGE_THREAD.
const rusageThread = 1

// BenchmarkAppend is the cost of buffering one tailed line (sanitize,
// level, labels, ring insert), reported per line, and the heap the buffer
// retains per line. B/line-retained includes the line's own bytes (which
// the client allocated anyway); overhead-B/line subtracts them.
func BenchmarkAppend(b *testing.B) {
	const chunk = 1000
	es := benchEntries(chunk)
	payload := 0
	for _, e := range es {
		payload += len(e.Line)
	}
	buf := newBuffer(max(b.N, chunk))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for done := 0; done < b.N; done += chunk {
		batch := make([]sources.LogEntry, min(chunk, b.N-done))
		for i := range batch {
			e := es[i]
			// A fresh line, as the client would decode it.
			e.Line = string(append([]byte(nil), e.Line...))
			batch[i] = e
		}
		buf.push(buildRows(batch, false))
	}
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(b.N)
	b.ReportMetric(per, "B/line-retained")
	b.ReportMetric(per-float64(payload)/chunk, "overhead-B/line")
	runtime.KeepAlive(buf)
}

// BenchmarkContextToggle is `c` (context lines around every match) with a
// filter matching a third of a million buffered lines: the view is rebuilt
// in the Update, so it must stay well inside a frame.
func BenchmarkContextToggle(b *testing.B) {
	m := benchModel(b, buildRows(benchEntries(1_000_000), false))
	finishScan(m, m.setFilter("inventory"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(panetest.Key("c"))
	}
	b.ReportMetric(float64(len(m.flt.ctxView)), "rows-shown")
}
