package queue

import (
	"slices"
	"testing"
)

func TestBoundedDropsOldest(t *testing.T) {
	q := New[int](3)
	q.Push(1, 2)
	q.Push(3, 4, 5)
	if got := q.Take(10); !slices.Equal(got, []int{3, 4, 5}) {
		t.Fatalf("Take = %v", got)
	}
	if q.Dropped() != 2 {
		t.Fatalf("Dropped = %d", q.Dropped())
	}
	q.Push(6, 7)
	failed := q.Take(1) // [6]
	q.Push(8)
	q.Requeue(failed) // [6 7 8]
	if got := q.Take(2); !slices.Equal(got, []int{6, 7}) {
		t.Fatalf("after requeue Take = %v", got)
	}
	q.Push(9, 10)
	q.Requeue([]int{1, 2}) // [1 2 8 9 10] -> drops 1, 2
	if got := q.Take(10); !slices.Equal(got, []int{8, 9, 10}) || q.Dropped() != 4 || q.Len() != 0 {
		t.Fatalf("Take = %v dropped %d len %d", got, q.Dropped(), q.Len())
	}
}
