package pane

// Notices are the lines a refreshing pane shows above its list, each only
// when there is something to say: the last refresh's error, with how old
// the rows still on screen are; the first backend warning; and a flash
// that lasts until the next key.
type Notices struct {
	// Err is the last refresh's error (Request.Err); nil shows no line.
	Err error
	// Since is how old the rows on screen are ("2m"); "" when no refresh
	// has brought any yet.
	Since string
	// Warnings are the backend's warnings, already sanitized; the first
	// is shown.
	Warnings []string
	// Flash is the note of the last key, already sanitized.
	Flash string
}

// Lines draws the notices with st: the error as "! kind (results from
// Since ago; r retries): reason" through ErrText, the warning muted and
// the flash subtle.
func (n Notices) Lines(st BaseStyles) []string {
	var out []string
	if n.Err != nil {
		kind, msg := ErrText(n.Err)
		age := "no results yet"
		if n.Since != "" {
			age = "results from " + n.Since + " ago"
		}
		out = append(out, st.ErrorMsg.Render("! "+kind)+st.Muted.Render(" ("+age+"; r retries): ")+msg)
	}
	if len(n.Warnings) > 0 {
		out = append(out, st.Muted.Render("warning: "+n.Warnings[0]))
	}
	if n.Flash != "" {
		out = append(out, st.Subtle.Render(n.Flash))
	}
	return out
}
