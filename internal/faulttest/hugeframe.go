package faulttest

import (
	"encoding/binary"
	"net"
	"runtime"
	"sync/atomic"
	"time"
)

// StreamHugeTextFrame writes to a websocket server connection's raw conn
// the header of one unmasked text frame of size bytes, then streams chunk
// over and over until size bytes are sent or the peer stops taking them
// (each write may wait 2 s). Neither side ever holds the frame: it tests
// that a client refuses it from its header. It returns the bytes of
// payload sent.
func StreamHugeTextFrame(raw net.Conn, size int64, chunk []byte) int64 {
	hdr := make([]byte, 10)
	hdr[0], hdr[1] = 0x81, 127 // FIN, text; a 64-bit length follows
	binary.BigEndian.PutUint64(hdr[2:], uint64(size))
	if _, err := raw.Write(hdr); err != nil {
		return 0
	}
	var sent int64
	for sent < size {
		_ = raw.SetWriteDeadline(time.Now().Add(2 * time.Second))
		n, err := raw.Write(chunk)
		sent += int64(n)
		if err != nil {
			break
		}
	}
	return sent
}

// HeapPeak samples the heap in use every millisecond until the returned
// stop is called, which returns the largest value seen, in bytes.
func HeapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-quit:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(quit)
		<-done
		return peak.Load()
	}
}
