package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/reltui/reltui/demo/fault"
)

// checkLoopback refuses a control address reachable from other machines:
// the control server has no authentication, and anyone who can reach it
// can break the demo.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("control address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("control address %q is not loopback; use 127.0.0.1:PORT", addr)
}

// Status is what GET /status answers.
type Status struct {
	Env      string                   `json:"env"`
	Rate     float64                  `json:"rate"`
	Seed     uint64                   `json:"seed"`
	Started  time.Time                `json:"started"`
	Now      time.Time                `json:"now"`
	Schedule bool                     `json:"schedule"`
	Active   []fault.Window           `json:"active_faults"`
	Manual   []fault.Window           `json:"manual_faults"`
	Upcoming []fault.Window           `json:"upcoming_faults"`
	Counters Counters                 `json:"counters"`
	Queued   Queued                   `json:"queued"`
	Kafka    []PartitionStatus        `json:"kafka"`
	Backends map[string]BackendStatus `json:"backends"`
}

// Queued is what waits for a backend.
type Queued struct {
	LogLines     int `json:"log_lines"`
	MetricPushes int `json:"metric_pushes"`
}

// Status reports the workload's state as of now.
func (w *Workload) Status() Status {
	now := w.cfg.Now()
	c := w.count.snapshot()
	c.LogLinesDrop += w.logs.Dropped()
	c.MetricsDropped += w.pending.Dropped()
	return Status{
		Env:      w.cfg.Env,
		Rate:     w.cfg.Rate,
		Seed:     w.cfg.Seed,
		Started:  w.started,
		Now:      now,
		Schedule: w.cfg.Schedule,
		Active:   nonNil(w.board.Active(now)),
		Manual:   nonNil(w.board.Manual(now)),
		Upcoming: nonNil(w.board.Upcoming(now)),
		Counters: c,
		Queued:   Queued{LogLines: w.logs.Len(), MetricPushes: w.pending.Len()},
		Kafka:    w.topic.status(),
		Backends: w.health.snapshot(),
	}
}

func nonNil(ws []fault.Window) []fault.Window {
	if ws == nil {
		return []fault.Window{}
	}
	return ws
}

// ControlHandler serves the control API:
//
//	GET    /status               state, faults and counters
//	POST   /faults/{kind}?for=2m start a fault now; answers its window, with its id
//	DELETE /faults/{kind}/{id}   end that one window now; other faults of the kind stay
//	DELETE /faults/{kind}        end every fault of the kind now (manual and scheduled)
//
// Tests sharing one workload end only the window they injected, so one
// test's cleanup never ends another's fault.
func (w *Workload) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(rw http.ResponseWriter, _ *http.Request) {
		writeJSON(rw, http.StatusOK, w.Status())
	})
	mux.HandleFunc("POST /faults/{kind}", func(rw http.ResponseWriter, r *http.Request) {
		k, err := fault.ParseKind(r.PathValue("kind"))
		if err != nil {
			writeJSON(rw, http.StatusNotFound, apiError{err.Error()})
			return
		}
		d := 2 * time.Minute
		if s := r.URL.Query().Get("for"); s != "" {
			if d, err = time.ParseDuration(s); err != nil || d <= 0 || d > 24*time.Hour {
				writeJSON(rw, http.StatusBadRequest, apiError{fmt.Sprintf("bad duration %q: want e.g. 2m, at most 24h", s)})
				return
			}
		}
		win, err := w.board.Inject(k, w.cfg.Now(), d)
		if err != nil {
			writeJSON(rw, http.StatusBadRequest, apiError{err.Error()})
			return
		}
		writeJSON(rw, http.StatusOK, win)
	})
	mux.HandleFunc("DELETE /faults/{kind}/{id}", func(rw http.ResponseWriter, r *http.Request) {
		k, err := fault.ParseKind(r.PathValue("kind"))
		if err != nil {
			writeJSON(rw, http.StatusNotFound, apiError{err.Error()})
			return
		}
		id := r.PathValue("id")
		// IDs are never reused and a window's kind never changes, so the
		// lookup and End agree.
		if win, ok := w.board.Lookup(id); ok && win.Kind != k {
			writeJSON(rw, http.StatusNotFound, apiError{fmt.Sprintf("fault %q is a %s fault, not %s", id, win.Kind, k)})
			return
		}
		win, err := w.board.End(id, w.cfg.Now())
		if err != nil {
			writeJSON(rw, http.StatusNotFound, apiError{err.Error()})
			return
		}
		writeJSON(rw, http.StatusOK, win)
	})
	mux.HandleFunc("DELETE /faults/{kind}", func(rw http.ResponseWriter, r *http.Request) {
		k, err := fault.ParseKind(r.PathValue("kind"))
		if err != nil {
			writeJSON(rw, http.StatusNotFound, apiError{err.Error()})
			return
		}
		w.board.Clear(k, w.cfg.Now())
		writeJSON(rw, http.StatusOK, w.Status())
	})
	return mux
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	enc := json.NewEncoder(rw)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// Control talks to a running workload's control server.
type Control struct {
	base string
	http *http.Client
}

// NewControl returns a client for the control server at addr (host:port).
func NewControl(addr string, hc *http.Client) (*Control, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	return &Control{base: "http://" + addr, http: hc}, nil
}

func (c *Control) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("control server: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("control server: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e apiError
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return fmt.Errorf("control server: %s", e.Error)
		}
		return fmt.Errorf("control server: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(bytes.ToValidUTF8(body, nil))))
	}
	return json.Unmarshal(body, out)
}

// Inject starts fault k for d.
func (c *Control) Inject(ctx context.Context, k fault.Kind, d time.Duration) (fault.Window, error) {
	var w fault.Window
	err := c.do(ctx, http.MethodPost, "/faults/"+url.PathEscape(string(k))+"?for="+url.QueryEscape(d.String()), &w)
	return w, err
}

// End ends the window w that Inject returned, and only it: other faults
// of its kind, another test's or the schedule's, stay in force. It answers
// the window as ended. A window that is unknown or already over is an
// error.
func (c *Control) End(ctx context.Context, w fault.Window) (fault.Window, error) {
	if w.ID == "" {
		return fault.Window{}, fmt.Errorf("%s fault from %s has no id: only an injected window can be ended alone", w.Kind, w.Source)
	}
	var out fault.Window
	err := c.do(ctx, http.MethodDelete, "/faults/"+url.PathEscape(string(w.Kind))+"/"+url.PathEscape(w.ID), &out)
	return out, err
}

// Clear ends every fault of kind k in force, whoever started it: for
// people, not for tests sharing the workload (they use End).
func (c *Control) Clear(ctx context.Context, k fault.Kind) (Status, error) {
	var s Status
	err := c.do(ctx, http.MethodDelete, "/faults/"+url.PathEscape(string(k)), &s)
	return s, err
}

// Status fetches the workload's status.
func (c *Control) Status(ctx context.Context) (Status, error) {
	var s Status
	err := c.do(ctx, http.MethodGet, "/status", &s)
	return s, err
}
