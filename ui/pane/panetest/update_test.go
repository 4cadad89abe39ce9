package panetest

import (
	"flag"
	"testing"
	"time"
)

func TestUpdateIsTheUpdateFlag(t *testing.T) {
	f := flag.Lookup("update")
	if f == nil {
		t.Fatal("panetest did not define -update")
	}
	was := f.Value.String()
	t.Cleanup(func() { _ = f.Value.Set(was) })
	for _, v := range []string{"true", "false"} {
		if err := f.Value.Set(v); err != nil {
			t.Fatal(err)
		}
		if got := Update(); (v == "true") != got {
			t.Errorf("-update=%s: Update() = %v", v, got)
		}
	}
	// A pane's own BoolFlag("update") reads the same flag.
	if err := f.Value.Set("true"); err != nil {
		t.Fatal(err)
	}
	if !BoolFlag("update", "again")() {
		t.Error("BoolFlag(update) is not the flag panetest defined")
	}
}

func TestEpoch(t *testing.T) {
	want := time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)
	if e := Epoch(); !e.Equal(want) || e.Location() != time.UTC {
		t.Errorf("Epoch() = %v, want %v", e, want)
	}
}
