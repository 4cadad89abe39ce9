package panetest

import "time"

// update is the -update flag of every pane's golden tests, defined once
// here (or reused, when an imported package defined it first).
var update = BoolFlag("update", "rewrite the golden files under testdata")

// Update reports whether the run was asked (-update) to rewrite the
// golden files instead of comparing frames with them.
func Update() bool { return update() }

// Epoch is the instant pane tests pin their clocks to, 2026-11-22 10:30
// UTC: the time the golden files were drawn at.
func Epoch() time.Time { return time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC) }
