package prom

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// maxMsg keeps a server's error text to what fits a status line or two.
const maxMsg = 400

// mapError turns whatever one attempt failed with into a *sources.Error.
// status is the HTTP status of the last response, 0 if none arrived.
func mapError(op string, status int, err error) error {
	if err == nil {
		return nil
	}
	var se *sources.Error
	if errors.As(err, &se) {
		return se
	}
	if errors.Is(err, errTooLarge) {
		limit := "the client limit"
		var tl *tooLargeError
		if errors.As(err, &tl) {
			limit = fmt.Sprintf("the client limit of %d MiB", tl.limit>>20)
			if tl.limit < 1<<20 {
				limit = fmt.Sprintf("the client limit of %d bytes", tl.limit)
			}
		}
		return &sources.Error{Backend: Backend, Op: op, Kind: sources.KindTooMuchData, Status: status,
			Msg: "response larger than " + limit + "; narrow the selector or time range", Err: err}
	}
	var ae *v1.Error
	if errors.As(err, &ae) {
		return apiError(op, status, ae)
	}
	return sources.Wrap(Backend, op, err)
}

// apiError maps client_golang's error, whose Type is Prometheus's own
// errorType when the body was an API error and a status-derived guess
// otherwise, keeping Prometheus's message as the detail.
func apiError(op string, status int, ae *v1.Error) *sources.Error {
	typ, msg := ae.Type, ae.Msg
	// For statuses other than 400/422, v1 does not decode the body: it
	// puts a generic "server error: 503" in Msg and the body in Detail.
	// Prometheus's own 503s (timeout, unavailable) and 500s still carry
	// its JSON envelope there; a proxy's carry plain text. Either says more
	// than the generic line.
	if strings.TrimSpace(ae.Detail) != "" {
		msg = ae.Detail
		if et, e, ok := decodeErrorBody([]byte(ae.Detail)); ok {
			typ, msg = et, e
		}
	}
	msg = cleanText(msg)
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d", status)
	}
	return &sources.Error{Backend: Backend, Op: op, Kind: kindFor(status, typ, msg), Status: status, Msg: msg, Err: ae}
}

// decodeErrorBody reads Prometheus's error envelope
// {"status":"error","errorType":"timeout","error":"..."}.
func decodeErrorBody(body []byte) (v1.ErrorType, string, bool) {
	var env struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Status != "error" || env.Error == "" {
		return "", "", false
	}
	return v1.ErrorType(env.ErrorType), env.Error, true
}

// kindFor decides the Kind from, in order: statuses that mean one thing
// whatever the body says, limit messages, Prometheus's errorType, and
// finally the status alone, all but the errorType through the mapping
// every client shares (sources.KindForAnswer).
func kindFor(status int, typ v1.ErrorType, msg string) sources.Kind {
	switch status {
	case http.StatusTooManyRequests, http.StatusUnauthorized, http.StatusForbidden:
		return sources.KindForAnswer(status, msg)
	}
	if k := sources.KindForText(msg); k != sources.KindUnknown {
		return k
	}
	switch typ {
	case v1.ErrBadData:
		return sources.KindBadQuery
	case v1.ErrExec:
		// 422: the query parsed but cannot run as written, e.g. "vector
		// cannot contain metrics with the same labelset".
		return sources.KindBadQuery
	case v1.ErrTimeout:
		return sources.KindTimeout
	case v1.ErrCanceled:
		// A caller's own cancel surfaces as a context error from the
		// transport, never as this; here the server gave up (shutdown,
		// overload), which is the server's problem.
		return sources.KindServerError
	case "unavailable", "internal", v1.ErrServer:
		if k := sources.KindForStatus(status); k != sources.KindUnknown && k != sources.KindBadQuery {
			return k
		}
		return sources.KindServerError
	case "not_found":
		return sources.KindNotFound
	case v1.ErrBadResponse:
		if status == 0 || status/100 == 2 {
			return sources.KindBadResponse
		}
	}
	if status != 0 {
		return sources.KindForAnswer(status, msg)
	}
	switch typ {
	case v1.ErrClient:
		return sources.KindBadQuery
	case v1.ErrBadResponse:
		// A status no API answers with (1xx, 3xx): whatever spoke was not
		// Prometheus, or not the endpoint we meant.
		return sources.KindBadResponse
	}
	return sources.KindUnknown
}

// cleanText makes server text safe for one screen line and cuts it to a
// readable length on a rune boundary.
func cleanText(s string) string {
	s = strings.TrimSpace(sanitize.Line(s))
	if len(s) <= maxMsg {
		return s
	}
	cut := maxMsg
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xc0 != 0x80 }
