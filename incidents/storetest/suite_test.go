package storetest

import (
	"sync"
	"testing"
)

// Two suites running at once under one test keep their own sequences and
// never hand out the same key.
func TestSuitesKeepTheirOwnKeys(t *testing.T) {
	a, b := newSuite(), newSuite()
	const n = 500
	keys := make(chan string, 2*n)
	var wg sync.WaitGroup
	for _, su := range []*suite{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				keys <- su.key(t)
			}
		}()
	}
	wg.Wait()
	close(keys)
	seen := map[string]bool{}
	for k := range keys {
		if seen[k] {
			t.Fatalf("key %q handed out twice", k)
		}
		seen[k] = true
	}
	if a.n != n || b.n != n {
		t.Fatalf("sequences %d and %d, want %d each: the suites share state", a.n, b.n, n)
	}
}
