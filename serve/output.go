package serve

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for a session's output.
const (
	// DefaultStallTimeout disconnects a client that has taken none of its
	// session's output for this long.
	DefaultStallTimeout = 30 * time.Second
	// DefaultOutputBuffer is how many bytes of frames wait for a slow
	// client before they are dropped in favour of one fresh full frame.
	DefaultOutputBuffer = 256 << 10
	// writeChunk is how much one write to the channel carries, so that a
	// slow but moving client shows progress between chunks.
	writeChunk = 16 << 10
)

// output is a session's terminal. The program writes into it without ever
// waiting for the network: the renderer holds its lock while it writes,
// and a write blocked on a full SSH window would stop the program's loop,
// its quit and its idle timeout with it. One goroutine sends what has
// piled up, all of it in one go, so a slow reader gets fewer, larger
// writes. When more than limit bytes wait, they are dropped with the
// frame being written, and repaint asks the program for a full frame that
// replaces them: the queue never grows past limit plus one frame.
type output struct {
	w       io.Writer
	limit   int
	repaint func() // asks for a full frame; run on its own goroutine
	sent    *atomic.Int64
	dropped *atomic.Int64

	kick      chan struct{} // wakes the sender; buffered 1
	repainter atomic.Bool   // a repaint request is in flight

	mu       sync.Mutex
	pending  []byte
	spare    []byte
	inflight bool      // the sender is writing
	progress time.Time // when the sender last completed a chunk, or went idle
	closed   bool      // no more writes are taken
	failed   error     // the channel refused a write
	idle     chan struct{}
}

func newOutput(w io.Writer, limit int, sent, dropped *atomic.Int64, repaint func()) *output {
	o := &output{w: w, limit: limit, repaint: repaint, sent: sent, dropped: dropped,
		kick: make(chan struct{}, 1), progress: time.Now(), idle: make(chan struct{})}
	go o.send()
	return o
}

// Write queues p. It never blocks on the client.
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	if o.closed || o.failed != nil {
		o.mu.Unlock()
		return len(p), nil // the session is ending; what it draws goes nowhere
	}
	if len(o.pending) > 0 && len(o.pending)+len(p) > o.limit {
		// A frame is a difference from the one before it, so the queued
		// frames and this one go together, and a full frame replaces them.
		o.pending = o.pending[:0]
		o.mu.Unlock()
		o.dropped.Add(1)
		o.askRepaint()
		return len(p), nil
	}
	o.pending = append(o.pending, p...)
	o.mu.Unlock()
	select {
	case o.kick <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *output) askRepaint() {
	if o.repaint == nil || !o.repainter.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer o.repainter.Store(false)
		o.repaint()
	}()
}

// send writes what is pending until close, or until the channel fails.
func (o *output) send() {
	defer close(o.idle)
	for range o.kick {
		o.mu.Lock()
		buf := o.pending
		o.pending, o.spare = o.spare[:0], nil
		if len(buf) == 0 {
			done := o.closed
			o.mu.Unlock()
			if done {
				return
			}
			continue
		}
		o.inflight, o.progress = true, time.Now()
		o.mu.Unlock()
		err := o.writeAll(buf)
		o.mu.Lock()
		o.inflight, o.progress, o.spare = false, time.Now(), buf[:0]
		if err != nil {
			o.failed, o.pending = err, nil
			o.mu.Unlock()
			return
		}
		more := len(o.pending) > 0 || o.closed
		o.mu.Unlock()
		if more {
			select {
			case o.kick <- struct{}{}:
			default:
			}
		}
	}
}

func (o *output) writeAll(buf []byte) error {
	for len(buf) > 0 {
		n := min(len(buf), writeChunk)
		m, err := o.w.Write(buf[:n])
		o.sent.Add(int64(m))
		if err != nil {
			return err
		}
		buf = buf[n:]
		o.mu.Lock()
		o.progress = time.Now()
		o.mu.Unlock()
	}
	return nil
}

// queued is how many bytes wait for the client.
func (o *output) queued() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.pending)
}

// stalled reports whether a write has been waiting on the client, with
// nothing taken, for at least d.
func (o *output) stalled(now time.Time, d time.Duration) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.inflight && now.Sub(o.progress) >= d
}

// close takes no more writes and waits up to grace for what is queued to
// reach the client; it reports whether it did.
func (o *output) close(grace time.Duration) bool {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	select {
	case o.kick <- struct{}{}:
	default:
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-o.idle:
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.failed == nil
	case <-t.C:
		return false
	}
}
