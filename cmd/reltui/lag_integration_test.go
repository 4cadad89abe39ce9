//go:build integration

package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/internal/stacktest"
)

// The demo's stall fault (the orders consumer stops committing) turns
// orders-consumer to STALL or STOP with lag in seconds rising. The window
// judged is 2m, so commits from before the stall (lag zero) fall out of it
// soon, as they would for a user asking "is it stuck now?".
func TestStallTurnsOrdersConsumerToStallWithRisingSeconds(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	ctl, err := demo.NewControl(st.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	injectOwnFault(t, ctl, fault.Stall, 8*time.Minute)
	type row struct {
		Group      string   `json:"group"`
		Partition  *int     `json:"partition"`
		LagSeconds *float64 `json:"lag_seconds"`
		Method     string   `json:"lag_seconds_method"`
		Status     string   `json:"status"`
	}
	// worst is the group's row (--by-topic): the worst partition's status
	// and lag in seconds.
	worst := func() (row, error) {
		code, out, errs := runBin(t, bin, "lag", "--group", "orders-consumer", "--since", "2m", "--by-topic", "--output", "json", "--config", st.ConfigPath)
		if code != 0 {
			return row{}, fmt.Errorf("exit %d: %s", code, errs)
		}
		var rows []row
		if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
			return row{}, fmt.Errorf("%v\n%s", err, out)
		}
		if rows[0].Partition != nil {
			return row{}, fmt.Errorf("--by-topic row has a partition: %s", out)
		}
		return rows[0], nil
	}
	var (
		stuckSecs []float64
		last      string
	)
	deadline := time.Now().Add(8 * time.Minute)
	for time.Now().Before(deadline) {
		r, err := worst()
		if err != nil {
			t.Fatal(err)
		}
		secs := "-"
		if r.LagSeconds != nil {
			secs = fmt.Sprintf("%.0f", *r.LagSeconds)
		}
		last = fmt.Sprintf("status %s, lag %ss (%s)", r.Status, secs, r.Method)
		if (r.Status == "STALL" || r.Status == "STOP") && r.LagSeconds != nil {
			stuckSecs = append(stuckSecs, *r.LagSeconds)
			// Rising: two stuck readings at least 20 s apart, the later older.
			if n := len(stuckSecs); n >= 2 && stuckSecs[n-1] >= stuckSecs[0]+15 {
				t.Logf("stuck: %s; lag seconds %v", last, stuckSecs)
				return
			}
		}
		time.Sleep(20 * time.Second)
	}
	t.Fatalf("orders-consumer did not read STALL/STOP with rising lag seconds within 8 minutes; last: %s; stuck readings %v", last, stuckSecs)
}
