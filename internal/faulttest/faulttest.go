// Package faulttest serves, over httptest, the failures a real backend
// cannot be made to produce on demand (a hang, garbage bytes, 429/503
// storms), for the sources clients' fault tests. The happy path belongs to
// the integration tests against the dev stack.
package faulttest

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// Policy is a guard policy for fault tests: three attempts with
// millisecond backoff, and a breaker that does not open unless a test
// lowers BreakerFailures.
func Policy() resilience.Policy {
	return resilience.Policy{
		Timeout: 2 * time.Second, MaxAttempts: 3,
		BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		MaxConcurrent: 4, BreakerFailures: 100, BreakerOpenFor: time.Hour,
	}
}

// Server counts requests and answers each with h. It closes when the test
// ends.
func Server(t testing.TB, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// Hang is a Server that never answers: each request waits until its
// client gives up or the test ends.
func Hang(t testing.TB) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	release := make(chan struct{})
	srv, hits := Server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	// Cleanups run last-registered first: release the handlers before
	// srv.Close waits for them.
	t.Cleanup(func() { close(release) })
	return srv, hits
}

// Reply answers every request with status and body, after setting the
// headers given as name, value pairs.
func Reply(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// AsError fails the test unless err is a *sources.Error, and returns it.
func AsError(t testing.TB, err error) *sources.Error {
	t.Helper()
	var se *sources.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T %v is not a *sources.Error", err, err)
	}
	return se
}

// HangPolicy is Policy for a Hang server: a 100ms timeout, one attempt, and
// a breaker that opens after two failures.
func HangPolicy() resilience.Policy {
	p := Policy()
	p.Timeout = 100 * time.Millisecond
	p.MaxAttempts = 1
	p.BreakerFailures = 2
	return p
}

// TimeoutsOpenBreaker runs call twice against a Hang server behind a
// HangPolicy guard, each time expecting a timeout, then refused once,
// expecting the open breaker to answer without a request reaching the
// server.
func TimeoutsOpenBreaker(t testing.TB, hits *atomic.Int32, call, refused func() error) {
	t.Helper()
	for i := 0; i < 2; i++ {
		err := call()
		if se := AsError(t, err); se.Kind != sources.KindTimeout {
			t.Fatalf("call %d: kind = %v (%v), want timeout", i, se.Kind, err)
		}
	}
	before := hits.Load()
	err := refused()
	if se := AsError(t, err); se.Kind != sources.KindCircuitOpen {
		t.Fatalf("after %d timeouts: kind = %v (%v), want circuit open", before, se.Kind, err)
	}
	if hits.Load() != before {
		t.Fatalf("open breaker still let a request through (%d → %d)", before, hits.Load())
	}
}

// ClosedAddr returns a local host:port nothing listens on: a dial to it is
// refused.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
