package pane

// VisibleMsg tells a pane the root showed it (Visible) or hid it. A pane
// that refreshes on a timer uses it to stop refreshing in the background
// and to catch up when shown again. A pane that never gets one is shown.
type VisibleMsg struct{ Visible bool }
