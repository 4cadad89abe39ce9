package alertstart

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/reltui/reltui/sources"
)

// AlertLister lists the firing and pending alerts one backend knows
// (Prometheus's alerts API, Alertmanager's).
type AlertLister func(ctx context.Context) ([]sources.Alert, error)

// NotFoundError says no lister had an alert with the fingerprint; Err
// joins the listers that failed, nil when every one answered.
type NotFoundError struct {
	Fingerprint string
	Err         error
}

// Error says the alert was not found, and why looking may have missed it.
func (e *NotFoundError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("alert %s not found, and looking failed: %v", e.Fingerprint, e.Err)
	}
	return fmt.Sprintf("no firing or pending alert has fingerprint %s", e.Fingerprint)
}

// Unwrap is the listers' failures.
func (e *NotFoundError) Unwrap() error { return e.Err }

// Find looks for the alert with fingerprint fp (any case, spaces around
// it ignored) through the listers in order, stopping at the first that
// has it: a lister that fails does not hide the others' answers. Not
// found is a *NotFoundError.
func Find(ctx context.Context, fp string, listers ...AlertLister) (sources.Alert, error) {
	want := strings.TrimSpace(fp)
	var errs []error
	for _, list := range listers {
		as, err := list(ctx)
		errs = append(errs, err)
		for _, a := range as {
			if strings.EqualFold(a.Fingerprint, want) {
				return a, nil
			}
		}
	}
	return sources.Alert{}, &NotFoundError{Fingerprint: fp, Err: errors.Join(errs...)}
}
