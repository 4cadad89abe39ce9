package serve

import (
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter limits how fast one address may open connections: a token
// bucket per IP. Buckets of addresses that went quiet are forgotten, so
// the map cannot grow without bound under a scan from many addresses.
type ipLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	now     func() time.Time
	pruned  time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxBuckets bounds the map between prunes.
const maxBuckets = 65536

func newIPLimiter(perMinute float64, burst int) *ipLimiter {
	return &ipLimiter{every: rate.Limit(perMinute / 60), burst: max(1, burst), buckets: map[string]*bucket{}, now: time.Now}
}

// allow reports whether a new connection from addr may proceed.
func (l *ipLimiter) allow(addr net.Addr) bool {
	if l == nil || l.every <= 0 {
		return true
	}
	ip := hostOf(addr)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	b, ok := l.buckets[ip]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			return false // under a flood from many addresses, refuse newcomers
		}
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// prune forgets buckets idle long enough to have refilled completely: they
// would allow exactly what a fresh bucket allows.
func (l *ipLimiter) prune(now time.Time) {
	refill := time.Duration(float64(l.burst) / float64(l.every) * float64(time.Second))
	if now.Sub(l.pruned) < min(refill, time.Minute) {
		return
	}
	l.pruned = now
	for ip, b := range l.buckets {
		if now.Sub(b.seen) > refill {
			delete(l.buckets, ip)
		}
	}
}

func hostOf(addr net.Addr) string {
	if ta, ok := addr.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}
