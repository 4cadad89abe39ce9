package pane

// Live reports whether the range's window ends when it is resolved: a
// live range, or one not given yet (Window's last def ending now). A
// pane keeps refreshing such a window; a fixed one it draws once.
func (r Range) Live() bool { return !r.set || r.live }
