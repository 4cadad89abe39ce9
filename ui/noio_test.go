package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/victorialogs"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// ioCounter counts every call that reaches a backend, a file or the
// environment. The console's Update and View must make none of them: the
// work belongs in Cmds, which these tests run only where they say so.
type ioCounter struct {
	http, dials, files, env atomic.Int32
}

func (c *ioCounter) total() int32 {
	return c.http.Load() + c.dials.Load() + c.files.Load() + c.env.Load()
}

func (c *ioCounter) String() string {
	return fmt.Sprintf("http %d, dials %d, file reads %d, env reads %d", c.http.Load(), c.dials.Load(), c.files.Load(), c.env.Load())
}

// env refuses every read and counts it.
func (c *ioCounter) envFor() config.Env {
	refused := errors.New("refused by the test: no file reads here")
	return config.Env{
		Getenv:   func(string) string { c.env.Add(1); return "" },
		ReadFile: func(string) ([]byte, error) { c.files.Add(1); return nil, refused },
		Stat:     func(string) (fs.FileInfo, error) { c.files.Add(1); return nil, refused },
	}
}

// failingBackends starts an HTTP server that answers every request 500
// and a TCP listener that closes every connection, both counting.
func failingBackends(t *testing.T, c *ioCounter) (httpURL, tcpAddr string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		c.http.Add(1)
		http.Error(w, "refused by the test", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.dials.Add(1)
			conn.Close()
		}
	}()
	return srv.URL, ln.Addr().String()
}

// refusingStore panics on any call (the nil Store it embeds has no
// methods to run), for a test that runs no Cmd.
type refusingStore struct{ incidents.Store }

// mustNew builds a client with newFn, failing the test on an error.
func mustNew[C, T any](t *testing.T, newFn func(C) (T, error), cfg C) T {
	t.Helper()
	v, err := newFn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// contextFor builds a context's clients against the failing backends, with
// a Kafka block whose secret or TLS files must be read to build a client.
func contextFor(t *testing.T, name, httpURL, tcpAddr string, kafka *config.Kafka) ContextDeps {
	t.Helper()
	pc := mustNew(t, prom.New, prom.Config{Address: httpURL})
	ac := mustNew(t, alertmanager.New, alertmanager.Config{Address: httpURL})
	lc := mustNew(t, victorialogs.New, victorialogs.Config{Address: httpURL})
	jc := mustNew(t, jaeger.New, jaeger.Config{Address: tcpAddr})
	t.Cleanup(func() { jc.Close() })
	kafka.Brokers = []string{tcpAddr}
	cfg := &config.Context{Kafka: kafka, Lag: &config.Lag{Source: "kafka"}}
	return ContextDeps{
		Name: name, Logs: lc,
		Sources: ContextSources{Name: name, Config: cfg, Logs: lc, Prom: pc, Alertmanager: ac, Jaeger: jc},
	}
}

func newNoIOModel(t *testing.T, c *ioCounter, store incidents.Store, other ContextDeps, first ContextDeps) *Model {
	t.Helper()
	r, _ := panetest.Plain().Renderer()
	m := New(Deps{
		Context: first.Name, Logs: first.Logs, Sources: first.Sources,
		Range: LiveRange(time.Hour), Palette: themes.Dark(), Renderer: r, Now: func() time.Time { return fixedNow },
		Session:  Session{User: "tester", Role: "commander", Incidents: store},
		Contexts: []string{first.Name, other.Name},
		OpenContext: func(name string) (ContextDeps, error) {
			return other, nil
		},
		Env: c.envFor(),
	})
	t.Cleanup(m.Close)
	return m
}

// paletteArgs is an argument for each palette verb that takes one.
var paletteArgs = map[string]string{
	"logs": `{service="checkout"}`, "metrics": "up", "traces": "4bf92f3577b34da6a3ce929d0e0e4736",
	"request": "req-123", "range": "6h", "theme": "light", "trace": "4bf92f3577b34da6a3ce929d0e0e4736",
}

// keysToPress are every printable key and the named keys the panes bind.
func keysToPress() []tea.KeyMsg {
	var ks []tea.KeyMsg
	for r := '!'; r <= '~'; r++ {
		if r == 'q' || r == ':' { // quitting and the palette are driven separately
			continue
		}
		ks = append(ks, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	for _, k := range []tea.KeyType{tea.KeyEnter, tea.KeyTab, tea.KeyShiftTab, tea.KeyUp, tea.KeyDown, tea.KeyLeft, tea.KeyRight,
		tea.KeyPgUp, tea.KeyPgDown, tea.KeyHome, tea.KeyEnd, tea.KeyBackspace, tea.KeySpace, tea.KeyCtrlN, tea.KeyCtrlP, tea.KeyEsc} {
		ks = append(ks, tea.KeyMsg{Type: k})
	}
	return ks
}

// step runs one message through Update and View and returns the Cmd
// unrun.
func step(m *Model, msg tea.Msg) tea.Cmd {
	_, cmd := m.Update(msg)
	_ = m.View()
	return cmd
}

// runPaletteLine types line into the palette and delivers the command it
// produces; the Cmds the command returns are given back unrun.
func runPaletteLine(t *testing.T, m *Model, line string) tea.Cmd {
	t.Helper()
	step(m, keyMsg(":"))
	step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(line)})
	cmd := step(m, tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatalf(":%s produced no command", line)
	}
	run, ok := cmd().(paletteRunMsg) // building the message is no I/O
	if !ok {
		t.Fatalf(":%s: enter gave %T, want paletteRunMsg", line, run)
	}
	return step(m, run)
}

func TestRootUpdateMakesNoCallsForAnyCommandOrKey(t *testing.T) {
	c := &ioCounter{}
	httpURL, tcpAddr := failingBackends(t, c)
	secret := &config.Kafka{SASL: &config.SASL{Mechanism: "PLAIN", Username: "u", Password: &config.Secret{File: "/run/secrets/kafka"}}}
	other := &config.Kafka{TLS: &config.TLS{CAFile: "/run/secrets/kafka-ca.pem"}, SASL: &config.SASL{Mechanism: "PLAIN", Username: "u", Password: &config.Secret{Env: "KAFKA_PASSWORD"}}}
	m := newNoIOModel(t, c, refusingStore{}, contextFor(t, "other", httpURL, tcpAddr, other), contextFor(t, "dev", httpURL, tcpAddr, secret))
	// New is wiring time, where I/O may happen; from here on only Update
	// and View run.
	c.http.Store(0)
	c.dials.Store(0)
	c.files.Store(0)
	c.env.Store(0)
	_ = m.Init()
	step(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	check := func(what string) {
		t.Helper()
		if n := c.total(); n != 0 {
			t.Fatalf("%s: Update/View made %d calls (%s)", what, n, c)
		}
	}
	check("start")

	for _, pc := range paletteCommands {
		switch pc.name {
		case "q", "ctx":
			continue
		}
		line := strings.TrimSpace(pc.name + " " + paletteArgs[pc.name])
		runPaletteLine(t, m, line)
		step(m, keyMsg("esc"))
		check(":" + line)
	}

	for i := range m.panes {
		step(m, keyMsg(strconv.Itoa(i+1)))
		for _, k := range keysToPress() {
			step(m, k)
			check("pane " + m.targetName(i) + " key " + k.String())
		}
		for range 3 {
			step(m, keyMsg("esc"))
		}
	}

	// :ctx opens the other context in its Cmd (here a fake that reads
	// nothing); switching to it in Update builds every pane without a call.
	open := runPaletteLine(t, m, "ctx other")
	check(":ctx other")
	opened, ok := open().(ctxOpenedMsg)
	if !ok || opened.err != nil {
		t.Fatalf(":ctx Cmd gave %#v", opened)
	}
	step(m, opened)
	check(":ctx other, switched")
	if m.ctxName != "other" {
		t.Fatalf("context is %q after the switch", m.ctxName)
	}

	runPaletteLine(t, m, "q")
	check(":q")
}

func (m *Model) targetName(i int) string {
	if i < len(m.targets) {
		return string(m.targets[i])
	}
	return strconv.Itoa(i)
}

func TestCtxToBrokenKafkaTLSShowsErrorOnLagPane(t *testing.T) {
	c := &ioCounter{}
	httpURL, tcpAddr := failingBackends(t, c)
	missing := filepath.Join(t.TempDir(), "kafka-ca.pem")
	broken := contextFor(t, "broken", httpURL, tcpAddr, &config.Kafka{TLS: &config.TLS{CAFile: missing}})
	m := newNoIOModel(t, c, nil, broken, contextFor(t, "dev", httpURL, tcpAddr, &config.Kafka{}))
	step(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	open := runPaletteLine(t, m, "ctx broken")
	opened := open().(ctxOpenedMsg)
	cmd := step(m, opened)
	step(m, keyMsg(":"))
	step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("lag")})
	run := step(m, tea.KeyMsg{Type: tea.KeyEnter})().(paletteRunMsg)
	step(m, run)
	if v := m.View(); strings.Contains(v, "kafka tls") {
		t.Fatalf("the error shows before the pane's Cmd ran, so Update built the client:\n%s", v)
	}
	// Run the panes' first work, as the runtime would, and deliver it.
	for _, msg := range panetest.Collect(cmd, 2*time.Second) {
		step(m, msg)
	}
	v := m.View()
	if !strings.Contains(v, "kafka tls: read CA file") {
		t.Fatalf("the Lag pane does not show the broken TLS file:\n%s", v)
	}
}
