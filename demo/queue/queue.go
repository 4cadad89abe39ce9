// Package queue holds items waiting for a backend that may be down. It is
// bounded because the workload must run for days next to a dev stack that
// comes and goes; when full it drops the oldest, since fresh telemetry is
// what a person looking at the console wants.
package queue

import "sync"

// Bounded is a FIFO of at most Max items. It is safe for concurrent use.
type Bounded[T any] struct {
	mu      sync.Mutex
	max     int
	items   []T
	dropped uint64
}

// New returns a queue holding at most limit items (at least one).
func New[T any](limit int) *Bounded[T] {
	return &Bounded[T]{max: max(limit, 1)}
}

// Push appends items, dropping the oldest ones beyond the bound.
func (q *Bounded[T]) Push(items ...T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, items...)
	q.trim()
}

// Take removes and returns up to n of the oldest items.
func (q *Bounded[T]) Take(n int) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items))
	out := make([]T, n)
	copy(out, q.items)
	rest := copy(q.items, q.items[n:])
	clear(q.items[rest:])
	q.items = q.items[:rest]
	return out
}

// Requeue puts items that failed to send back at the front, so they go
// first on the next attempt; if that overflows the bound, the oldest go.
func (q *Bounded[T]) Requeue(items []T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(append(make([]T, 0, len(items)+len(q.items)), items...), q.items...)
	q.trim()
}

func (q *Bounded[T]) trim() {
	if over := len(q.items) - q.max; over > 0 {
		q.dropped += uint64(over)
		rest := copy(q.items, q.items[over:])
		clear(q.items[rest:])
		q.items = q.items[:rest]
	}
}

// Len is the number of items waiting.
func (q *Bounded[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Dropped is how many items were discarded to keep the bound.
func (q *Bounded[T]) Dropped() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}
