package incidents

import "errors"

// The errors every Store returns, wrapped with context. Callers test them
// with errors.Is; driver errors never leak past a store unmapped, so the CLI
// and the UI can tell the user what to do without knowing the dialect.
var (
	// ErrNotFound: no incident (or event) with that id.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the request is wrong on its own or against the
	// incident's history (a milestone out of order, an empty title, a time
	// in the future). Nothing was written.
	ErrInvalid = errors.New("invalid")
	// ErrConflict: the request clashes with the incident's state (already
	// resolved) or reuses an idempotency key for a different request.
	// Nothing was written.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the store could not be reached or stayed busy; the
	// write may be retried with the same idempotency key.
	ErrUnavailable = errors.New("store unavailable")
	// ErrCorrupt: stored data cannot be read back (bad JSON, unknown
	// kind). It means the database was edited outside reltui.
	ErrCorrupt = errors.New("stored data is corrupt")
	// ErrForbidden: the session's role may not make this write (see
	// Allowed). Nothing was written.
	ErrForbidden = errors.New("not allowed")
)
