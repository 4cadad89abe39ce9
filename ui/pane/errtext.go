package pane

import (
	"errors"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// ErrText is how a pane shows a backend error: its kind (unreachable,
// timeout, bad query, …) and the backend's own reason, sanitized and
// without credentials.
func ErrText(err error) (kind, reason string) {
	var se *sources.Error
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "" && se.Err != nil {
			msg = sources.CleanMessage(se.Err)
		}
		if msg == "" {
			msg = "no detail from " + se.Backend
		}
		return se.Kind.String(), sanitize.Line(msg)
	}
	return sources.KindOf(err).String(), sanitize.Line(sources.CleanMessage(err))
}
