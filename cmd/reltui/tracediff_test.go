package main

import (
	"strings"
	"testing"
)

func TestTraceDiffUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"trace", "diff"},
		{"trace", "diff", "a", "b", "c"},
		{"trace", "diff", "abc", "--output", "jsonl"},
		{"trace", "diff", "abc", "--limit", "-1"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "reltui: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
