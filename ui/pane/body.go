package pane

// Body fits the body of a pane's view to exactly h lines: lead first (a
// wrapped notice, an empty-list text), then row(i) for the rows top..n-1
// while there is room, then empty lines. What does not fit is cut.
func Body(h int, lead []string, top, n int, row func(i int) string) []string {
	h = max(h, 0)
	body := make([]string, 0, h+len(lead))
	body = append(body, lead...)
	for i := max(top, 0); i < n && len(body) < h; i++ {
		body = append(body, row(i))
	}
	for len(body) < h {
		body = append(body, "")
	}
	return body[:h]
}
