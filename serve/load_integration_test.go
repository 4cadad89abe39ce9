//go:build integration

package serve

import (
	"fmt"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/ui"
)

// BenchmarkTwentySessions runs 20 console sessions against the dev
// stack's log backend and reports idle CPU per session (target ≤ 5% of a core),
// memory per session, and the bytes sent for one scroll step in the Logs
// pane.
func BenchmarkTwentySessions(b *testing.B) {
	st := stacktest.Require(b)
	c := stacklogs.Backend(b, st)
	hub := NewTailHub(c)
	defer hub.Close()
	for range b.N {
		f := newFixtureTB(b, func(cfg *Config) {
			cfg.App = Console(ui.Deps{Context: "load", Logs: SharedLogs(c, hub),
				Backends: SharePings([]ui.Backend{{Name: c.Backend(), Addr: stacklogs.URL(st), Ping: c.Ping}}, 5*time.Second)}, nil)
			cfg.ConnsPerMinute = -1
			// One viewer key holds all twenty seats here.
			cfg.MaxSessionsPerUser = 20
			cfg.MaxSessionsPerRole = map[incidents.Role]int{incidents.RoleViewer: 20}
		})
		rss0 := rssKiB(b)
		var sessions []*termSession
		for i := range 20 {
			ts, err := open(b, f.addr, "xterm-256color", 120, 40, nil, f.viewer.signer)
			if err != nil {
				b.Fatalf("session %d: %v", i, err)
			}
			sessions = append(sessions, ts)
		}
		for _, ts := range sessions {
			ts.waitFor(b, "load", 10*time.Second)
		}
		time.Sleep(2 * time.Second)
		rss1 := rssKiB(b)
		out0, cpu0 := f.srv.Stats().BytesOut, cpuTime()
		const idle = 10 * time.Second
		time.Sleep(idle)
		cpu := cpuTime() - cpu0
		idleBytes := f.srv.Stats().BytesOut - out0

		// One session runs a query, then scrolls.
		ts := sessions[0]
		_, _ = ts.stdin.Write([]byte("i"))
		time.Sleep(100 * time.Millisecond)
		_, _ = ts.stdin.Write([]byte(`{service_name=~".+"}` + "\r"))
		time.Sleep(3 * time.Second)
		const steps = 20
		before := f.srv.Stats().BytesOut
		for range steps {
			_, _ = ts.stdin.Write([]byte("k"))
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		perStep := float64(f.srv.Stats().BytesOut-before) / steps

		cpuPct := 100 * cpu.Seconds() / idle.Seconds() / 20
		b.ReportMetric(cpuPct, "%cpu/idle-session")
		b.ReportMetric(float64(rss1-rss0)/20, "KiB/session")
		b.ReportMetric(float64(idleBytes)/idle.Seconds()/20, "idle-B/s/session")
		b.ReportMetric(perStep, "B/scroll-step")
		b.ReportMetric(float64(hub.Opened()), "log-tails")
		fmt.Printf("20 sessions: idle CPU %.2f%% of a core per session, RSS +%d KiB (%.0f KiB/session), idle output %.0f B/s/session, %.0f B per scroll step\n",
			cpuPct, rss1-rss0, float64(rss1-rss0)/20, float64(idleBytes)/idle.Seconds()/20, perStep)
		for _, s := range sessions {
			s.client.Close()
		}
	}
}
