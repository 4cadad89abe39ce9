package pane

// SpaceListKeys are DefaultListKeys with space also paging down, as in a
// pager, and g/G named "top" and "bottom": the list keys of the panes
// that read like a long document (Traces, Request).
func SpaceListKeys() ListKeys {
	l := DefaultListKeys()
	l.PageDown.SetKeys("pgdown", "ctrl+f", " ")
	l.Top.SetHelp("g", "top")
	l.Bottom.SetHelp("G", "bottom")
	return l
}
