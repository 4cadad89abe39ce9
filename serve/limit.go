package serve

import (
	"container/list"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter limits how fast one client may open connections: a token
// bucket per IPv4 address and per IPv6 network (one host usually owns a
// whole /64, so keying on the full address would hand it 2^64 buckets).
// Memory is bounded by forgetting the least recently seen client when the
// table is full: a flood from many addresses costs those addresses their
// history, never a newcomer its login. A forgotten client starts again
// with a full bucket, which is what it would have after a quiet spell.
type ipLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	prefix  int // IPv6 prefix length that names one client
	max     int
	buckets map[netip.Prefix]*list.Element // of *bucket
	lru     *list.List                     // front: most recently seen
	now     func() time.Time
}

type bucket struct {
	key netip.Prefix
	lim *rate.Limiter
}

func newIPLimiter(perMinute float64, burst, ipv6Prefix, maxClients int) *ipLimiter {
	return &ipLimiter{every: rate.Limit(perMinute / 60), burst: max(1, burst), prefix: ipv6Prefix,
		max: max(1, maxClients), buckets: map[netip.Prefix]*list.Element{}, lru: list.New(), now: time.Now}
}

// allow reports whether a new connection from addr may proceed.
func (l *ipLimiter) allow(addr net.Addr) bool {
	if l == nil || l.every <= 0 {
		return true
	}
	key := clientKey(addr, l.prefix)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.buckets[key]
	if ok {
		l.lru.MoveToFront(el)
	} else {
		if l.lru.Len() >= l.max {
			oldest := l.lru.Back()
			delete(l.buckets, oldest.Value.(*bucket).key)
			l.lru.Remove(oldest)
		}
		el = l.lru.PushFront(&bucket{key: key, lim: rate.NewLimiter(l.every, l.burst)})
		l.buckets[key] = el
	}
	return el.Value.(*bucket).lim.AllowN(now, 1)
}

// tracked is how many clients the limiter remembers.
func (l *ipLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// clientKey names the client behind addr: an IPv4 address (an IPv4-mapped
// IPv6 address counts as IPv4) or the IPv6 network of prefix bits. An
// address that cannot be read shares one key with every other such.
func clientKey(addr net.Addr, prefix int) netip.Prefix {
	var ip netip.Addr
	if ta, ok := addr.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(ta.IP)
	} else if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		ip = ap.Addr()
	}
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return netip.Prefix{}
	}
	bits := 32
	if ip.Is6() {
		bits = prefix
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}
