package pane

import (
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/sanitize"
)

// ClampScroll keeps a list's selection sel among its n rows and on a
// screen of height rows starting at top, scrolling as little as it can,
// and never leaves empty rows below the last when the list fills the
// screen. It returns the new sel and top.
func ClampScroll(sel, top, n, height int) (int, int) {
	height = max(1, height)
	sel = min(max(sel, 0), max(n-1, 0))
	if sel < top {
		top = sel
	}
	if sel >= top+height {
		top = sel - height + 1
	}
	return sel, min(max(top, 0), max(n-height, 0))
}

// CopyCmd sanitizes text to one line and returns it with the Cmd that asks
// the root to put it on the clipboard (OSC 52); building the sequence is
// not I/O, the root writes it. Both are empty when nothing is left to copy.
func CopyCmd(text string) (string, tea.Cmd) {
	return copyCmd(sanitize.Line(text))
}

// Age is a short age for a header or a list: "42s", "5m", "2h03m".
// Seconds and minutes are truncated, never rounded up.
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	}
	m := int(d.Minutes()) % 60
	pad := ""
	if m < 10 {
		pad = "0"
	}
	return strconv.Itoa(int(d.Hours())) + "h" + pad + strconv.Itoa(m) + "m"
}
