package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/serve"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui"
)

type serveFlags struct {
	listen, hostKey, authorizedKeys string
	idleTimeout, handshakeTimeout   time.Duration
	maxSessions                     int
	since, statsEvery               time.Duration
}

func newServeCmd(g *globals) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console over SSH to the on-call team",
		Long: "Serve the console over SSH. Each authorized key maps to a user and a role (viewer, responder, commander)\n" +
			"through authorized_keys options, e.g.\n\n" +
			"  reltui-user=\"alice\",reltui-role=\"commander\" ssh-ed25519 AAAA... alice@laptop\n\n" +
			"or through serve.users in the config. Flags override the config's serve block.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(g, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:2222", "address to listen on (serve.listen)")
	fl.StringVar(&f.hostKey, "host-key", "", "host private key, created (ed25519, mode 0600) if missing (serve.host_key)")
	fl.StringVar(&f.authorizedKeys, "authorized-keys", "", "authorized_keys file with reltui-user and reltui-role options (serve.authorized_keys)")
	fl.DurationVar(&f.idleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "close a session after this long without input (serve.idle_timeout)")
	fl.DurationVar(&f.handshakeTimeout, "handshake-timeout", serve.DefaultHandshakeTimeout, "close a connection that has not logged in by then (serve.handshake_timeout)")
	fl.IntVar(&f.maxSessions, "max-sessions", serve.DefaultMaxSessions, "most concurrent sessions (serve.max_sessions)")
	fl.DurationVar(&f.since, "since", time.Hour, "each session's initial time range")
	fl.DurationVar(&f.statsEvery, "stats-every", 0, "log the server's counters and goroutines this often (0: never)")
	return cmd
}

// serveSettings are the flags merged over the config's serve block.
type serveSettings struct {
	config.Serve
	idle, handshake time.Duration
}

func mergeServe(cmd *cobra.Command, f *serveFlags, c *config.Serve) serveSettings {
	var s serveSettings
	if c != nil {
		s.Serve = *c
	}
	set := func(name string) bool { return cmd.Flags().Changed(name) }
	if set("listen") || s.Listen == "" {
		s.Listen = f.listen
	}
	if set("host-key") || s.HostKey == "" {
		s.HostKey = f.hostKey
	}
	if set("authorized-keys") || s.AuthorizedKeys == "" {
		s.AuthorizedKeys = f.authorizedKeys
	}
	s.idle, s.handshake = s.IdleTimeout.Std(), s.HandshakeTimeout.Std()
	if set("idle-timeout") || s.idle == 0 {
		s.idle = f.idleTimeout
	}
	if set("handshake-timeout") || s.handshake == 0 {
		s.handshake = f.handshakeTimeout
	}
	if set("max-sessions") || s.MaxSessions == 0 {
		s.MaxSessions = f.maxSessions
	}
	return s
}

func runServe(g *globals, cmd *cobra.Command, f *serveFlags) error {
	file, err := loadConfig(g)
	if err != nil {
		return &exitError{code: 1, msg: "invalid configuration:\n" + err.Error()}
	}
	s := mergeServe(cmd, f, file.Serve)
	keys, err := serve.KeysFromConfig(s.Users, s.AuthorizedKeys, os.ReadFile)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	hostKey, created, err := serve.LoadOrCreateHostKey(s.HostKey)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	logger := log.New(g.stderr, "reltui serve: ", log.LstdFlags)
	if created {
		logger.Printf("created host key %s (%s)", s.HostKey, gossh.FingerprintSHA256(hostKey.PublicKey()))
	}
	name, c, err := file.Select(g.context)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	bs, err := contextBackends(name, c)
	if err != nil {
		return err
	}
	defer bs.Close()
	sctx, scancel := context.WithTimeout(context.Background(), storeTimeout)
	store, serr := openStore(sctx, g)
	scancel()
	if serr != nil {
		logger.Printf("warning: incidents unavailable: %s", sanitizeLine(serr.Error()))
	} else {
		defer store.Close()
	}
	// One set of clients and one tail per query for every session.
	var hub sources.LogTailer
	if bs.logs != nil {
		h := serve.NewTailHub(bs.logs)
		defer h.Close()
		hub = h
	}
	base := ui.Deps{
		Context: name, Backends: serve.SharePings(bs.probes(), 5*time.Second),
		Logs: serve.SharedLogs(bs.logs, hub), Sources: bs.sources(name, file.Path),
		Contexts: file.Names(), OpenContext: openContextFunc(file),
		Range: ui.LiveRange(f.since), Version: versionString(),
	}
	roleCaps := map[incidents.Role]int{}
	for r, n := range s.MaxSessionsPerRole {
		roleCaps[incidents.Role(r)] = n
	}
	srv, err := serve.New(serve.Config{
		Addr: s.Listen, HostKey: hostKey, Keys: keys, App: serve.Console(base, store),
		IdleTimeout: s.idle, HandshakeTimeout: s.handshake, MaxSessions: s.MaxSessions,
		StallTimeout: s.StallTimeout.Std(), OutputBuffer: s.OutputBufferBytes,
		MaxSessionsPerUser: s.MaxSessionsPerUser, MaxSessionsPerRole: roleCaps,
		ConnsPerMinute: float64(s.ConnectionsPerMinute), ConnBurst: s.ConnectionBurst,
		IPv6Prefix: s.IPv6Prefix, LimiterAddresses: s.LimiterAddresses, StatsEvery: f.statsEvery,
		Logf: func(format string, args ...any) { logger.Print(sanitizeLine(fmt.Sprintf(format, args...))) },
	})
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	l, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	logger.Printf("listening on %s (context %s, %d authorized keys, host key %s)", l.Addr(), name, keys.Len(), gossh.FingerprintSHA256(hostKey.PublicKey()))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	sd, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sd)
}
