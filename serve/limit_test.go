package serve

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

func tcpAddr(s string) net.Addr {
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(s), 40000))
}

// Many addresses of one IPv6 /64 are one client: the first gets its burst,
// the rest share it, and the table holds one entry. Many /64s fill the
// table, the least recently seen are forgotten, and every newcomer, IPv4
// or IPv6, still gets in.
func TestLimiterIPv6NetworksAndEviction(t *testing.T) {
	l := newIPLimiter(1, 1, 64, 1000)
	now := time.Unix(1e9, 0)
	l.now = func() time.Time { return now }
	for i := range 5000 {
		got := l.allow(tcpAddr(fmt.Sprintf("2001:db8:1:2:%x:%x::1", i>>8, i&0xff)))
		if got != (i == 0) {
			t.Fatalf("address %d of one /64: allow=%v", i, got)
		}
	}
	if n := l.tracked(); n != 1 {
		t.Fatalf("one /64 takes %d entries", n)
	}
	for i := range 5000 {
		if !l.allow(tcpAddr(fmt.Sprintf("2001:db9:%x:%x::1", i>>8, i&0xff))) {
			t.Fatalf("/64 number %d, never seen, was refused", i)
		}
	}
	if n := l.tracked(); n != 1000 {
		t.Fatalf("%d entries tracked; the bound is 1000", n)
	}
	if !l.allow(tcpAddr("192.0.2.7")) || !l.allow(tcpAddr("2001:db8:ffff:1::9")) {
		t.Fatal("a newcomer was refused while the table was full")
	}
	// A client seen recently keeps its (empty) bucket; one the flood
	// pushed out starts afresh.
	if l.allow(tcpAddr("192.0.2.7")) {
		t.Fatal("a recent client's bucket was forgotten")
	}
}

func TestClientKey(t *testing.T) {
	for _, c := range []struct {
		a, b   string
		prefix int
		same   bool
	}{
		{"192.0.2.1", "192.0.2.2", 64, false},
		{"192.0.2.1", "::ffff:192.0.2.1", 64, true},
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::1", 64, true},
		{"2001:db8:1:2::1", "2001:db8:1:3::1", 64, false},
		{"2001:db8:1:2::1", "2001:db8:1:3::1", 48, true},
		{"2001:db8:1:2::1", "2001:db8:1:2::2", 128, false},
	} {
		ka, kb := clientKey(tcpAddr(c.a), c.prefix), clientKey(tcpAddr(c.b), c.prefix)
		if (ka == kb) != c.same {
			t.Errorf("/%d: %s -> %s, %s -> %s; same=%v, want %v", c.prefix, c.a, ka, c.b, kb, ka == kb, c.same)
		}
	}
}

// With the server's limiter filled from many IPv6 addresses of one /64
// and from many /64s, a responder from a new address still logs in.
func TestResponderLogsInAfterLimiterFlood(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.ConnsPerMinute, c.ConnBurst = 1, 1
		c.LimiterAddresses = 256
	})
	for i := range 2000 {
		f.srv.limiter.allow(tcpAddr(fmt.Sprintf("2001:db8:aa:bb:%x:%x::1", i>>8, i&0xff)))
		f.srv.limiter.allow(tcpAddr(fmt.Sprintf("2001:db9:%x:%x::1", i>>8, i&0xff)))
	}
	if n := f.srv.limiter.tracked(); n != 256 {
		t.Fatalf("%d entries tracked; the bound is 256", n)
	}
	login(t, f, f.responder, "hello user=rita")
}

// login opens a console session with k and waits for its greeting.
func login(t *testing.T, f *fixture, k testKey, greeting string) {
	t.Helper()
	ts, err := open(t, f.addr, "xterm", 80, 24, nil, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	ts.waitFor(t, greeting, 5*time.Second)
}

// One user cannot take every seat, and one role leaves room for others.
func TestSessionCapsPerUserAndRole(t *testing.T) {
	t.Run("user", func(t *testing.T) {
		f := newFixture(t, func(c *Config) { c.MaxSessionsPerUser = 2 })
		login(t, f, f.responder, "hello user=rita")
		login(t, f, f.responder, "hello user=rita")
		if out := refusedSession(t, f.addr, f.responder.signer); !strings.Contains(out, "rita already has 2 sessions") {
			t.Fatalf("third session of one user: %q", out)
		}
		login(t, f, f.commander, "hello user=cora")
		if n := f.srv.Stats().Capped; n != 1 {
			t.Fatalf("Capped = %d", n)
		}
	})
	t.Run("role", func(t *testing.T) {
		f := newFixture(t, func(c *Config) {
			c.MaxSessionsPerUser = 10
			c.MaxSessionsPerRole = map[incidents.Role]int{incidents.RoleViewer: 1}
		})
		login(t, f, f.viewer, "hello user=vic")
		if out := refusedSession(t, f.addr, f.viewer.signer); !strings.Contains(out, "seats for the viewer role are taken") {
			t.Fatalf("second viewer session: %q", out)
		}
		login(t, f, f.responder, "hello user=rita")
	})
}

func TestDefaultRoleCapsLeaveRoom(t *testing.T) {
	v, r, c := DefaultRoleCap(incidents.RoleViewer, 64), DefaultRoleCap(incidents.RoleResponder, 64), DefaultRoleCap(incidents.RoleCommander, 64)
	if v >= r || r >= c || c != 64 {
		t.Fatalf("caps of 64 seats: viewer %d, responder %d, commander %d", v, r, c)
	}
}
