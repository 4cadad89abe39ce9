package sources

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/reltui/reltui/sources/sanitize"
)

// Kind says what went wrong with a backend call in terms a caller can act on.
type Kind int

// The kinds of backend failure.
const (
	KindUnknown      Kind = iota
	KindUnreachable       // connection refused, DNS failure, reset
	KindTimeout           // the call's deadline passed
	KindRateLimited       // 429, or the backend's own rate limit
	KindBadQuery          // 400/422: the query or its parameters are wrong
	KindTooMuchData       // result exceeds a server or client limit
	KindUnauthorized      // 401/403
	KindServerError       // 5xx
	KindNotFound          // 404, or an id that does not exist
	KindBadResponse       // the answer could not be decoded
	KindCircuitOpen       // the breaker refused the call without trying
	KindCanceled          // the caller gave up
	KindConfig            // the client's own settings are wrong (address, TLS, secret): found at construction
)

var kindNames = map[Kind]string{
	KindUnknown:      "error",
	KindUnreachable:  "unreachable",
	KindTimeout:      "timeout",
	KindRateLimited:  "rate limited",
	KindBadQuery:     "bad query",
	KindTooMuchData:  "too much data",
	KindUnauthorized: "unauthorized",
	KindServerError:  "server error",
	KindNotFound:     "not found",
	KindBadResponse:  "bad response",
	KindCircuitOpen:  "circuit open",
	KindCanceled:     "canceled",
	KindConfig:       "bad config",
}

// String names the kind the way the UI shows it.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "error"
}

// Retryable reports whether a failure of this kind may succeed if an
// idempotent read is tried again.
func (k Kind) Retryable() bool {
	switch k {
	case KindUnreachable, KindTimeout, KindRateLimited, KindServerError:
		return true
	}
	return false
}

// Error is the one error type every client returns.
type Error struct {
	Backend string // "loki", "prometheus", "alertmanager", "jaeger", "kafka"
	Op      string // "query_range", "get_trace", ...
	Kind    Kind
	Status  int    // HTTP status or 0
	Msg     string // sanitized detail, usually the server's own text
	Err     error  // cause; never carries credentials
}

// Error renders "loki query_range: bad query: parse error at line 1...".
func (e *Error) Error() string {
	s := e.Backend
	if e.Op != "" {
		s += " " + e.Op
	}
	s += ": " + e.Kind.String()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, classifying plain errors on the way.
func KindOf(err error) Kind {
	if err == nil {
		return KindUnknown
	}
	var se *Error
	if errors.As(err, &se) {
		return se.Kind
	}
	return Classify(err)
}

// Classify maps a transport-level error to a Kind.
func Classify(err error) Kind {
	switch {
	case err == nil:
		return KindUnknown
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return KindTimeout
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF):
		// An answer cut short is the connection dropping under it.
		return KindUnreachable
	}
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, io.EOF) {
		// The server closed the connection before answering.
		return KindUnreachable
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return KindTimeout
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return KindUnreachable
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return KindUnreachable
	}
	return KindUnknown
}

// KindForStatus maps an HTTP status code to a Kind.
func KindForStatus(code int) Kind {
	switch {
	case code == 400 || code == 422:
		return KindBadQuery
	case code == 401 || code == 403:
		return KindUnauthorized
	case code == 404:
		return KindNotFound
	case code == 413:
		return KindTooMuchData
	case code == 429:
		return KindRateLimited
	case code == 408 || code == 504:
		return KindTimeout
	case code >= 500:
		return KindServerError
	}
	return KindUnknown
}

// KindForAnswer is the one mapping from a failed answer, its HTTP status
// (0 when the failure was not an HTTP answer: a gRPC status, a tail's
// close frame, an error inside a 2xx stream) and the server's text, to a
// Kind. Every client uses it, so that the same fault is the same Kind
// whichever backend reports it. A status that means one thing whatever the
// body says wins; then the limit, rate-limit and timeout phrases the
// backends (and the proxies in front of them) put into their text; then
// the status alone. An answer no API gives (a redirect, an unexpected 4xx)
// is a bad response: the address is not the endpoint we meant.
func KindForAnswer(status int, msg string) Kind {
	switch status {
	case http.StatusTooManyRequests:
		return KindRateLimited
	case http.StatusUnauthorized, http.StatusForbidden:
		return KindUnauthorized
	}
	if k := KindForText(msg); k != KindUnknown {
		return k
	}
	if k := KindForStatus(status); k != KindUnknown {
		return k
	}
	if status == 0 {
		return KindUnknown
	}
	return KindBadResponse
}

// answerPhrases are, lowercased, how Loki, VictoriaLogs, Prometheus,
// Mimir, Thanos, VictoriaMetrics, Alertmanager and gRPC say that a call
// hit a limit, a rate limit or a deadline. They often arrive as a 400 or a
// 500, where the status alone would mislead: the user's remedy for a limit
// (narrow the query or the window) is not the one for a typo.
var answerPhrases = []struct {
	phrase string
	kind   Kind
}{
	// Rate limits first: "rate limit exceeded" is not a size limit.
	{"rate limit", KindRateLimited},
	{"too many outstanding requests", KindRateLimited}, // Loki
	{"max concurrent tail requests", KindRateLimited},  // Loki
	{"search.maxconcurrentrequests", KindRateLimited},  // VictoriaLogs
	// Loki
	{"max entries limit", KindTooMuchData},
	{"query time range exceeds the limit", KindTooMuchData},
	{"would read too many bytes", KindTooMuchData},
	{"too large to execute", KindTooMuchData},
	{"max_query_series", KindTooMuchData},
	// VictoriaLogs
	{"too big time range selected", KindTooMuchData},
	{"maxquerytimerange", KindTooMuchData},
	{"couldn't be executed in", KindTimeout},
	// Prometheus, Mimir, Thanos, VictoriaMetrics
	{"too many samples", KindTooMuchData},
	{"exceeded maximum resolution", KindTooMuchData},
	{"maximum number of", KindTooMuchData},
	{"max number of", KindTooMuchData},
	{"exceeded series limit", KindTooMuchData},
	{"cannot select more than", KindTooMuchData},
	{"too many points", KindTooMuchData},
	{"limit exceeded", KindTooMuchData},
	// gRPC, either side's message size limit
	{"larger than max", KindTooMuchData},
	{"larger than the max message size", KindTooMuchData},
	{"message too large", KindTooMuchData},
	{"max message size", KindTooMuchData},
	{"too large", KindTooMuchData},
	// Any Go server that ran out of its own deadline
	{"context deadline exceeded", KindTimeout},
}

// KindForText finds the Kind a server's error text names whatever its
// status (see KindForAnswer), or KindUnknown.
func KindForText(msg string) Kind {
	if msg == "" {
		return KindUnknown
	}
	l := strings.ToLower(msg)
	for _, p := range answerPhrases {
		if strings.Contains(l, p.phrase) {
			return p.kind
		}
	}
	return KindUnknown
}

// ConfigError is the error a client's constructor returns for a mistake in
// its own settings: an address, TLS files, a header or a secret. Its
// message names the setting and never repeats a credential; cause, when
// given, must not hold one either.
func ConfigError(backend, msg string, cause error) *Error {
	return &Error{Backend: backend, Kind: KindConfig, Msg: sanitize.Line(msg), Err: cause}
}

// TransportError wraps a failure to reach a backend over HTTP. The URL
// kept in the cause has no userinfo, query or fragment, so neither
// credentials nor the query text reach an error message.
func TransportError(backend, op, method string, u *url.URL, err error) error {
	clean := *u
	clean.User = nil
	clean.RawQuery = ""
	clean.Fragment = ""
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return Wrap(backend, op, &url.Error{Op: method, URL: clean.String(), Err: err})
}

// Wrap turns any error into an *Error for backend and op. An *Error passes
// through with its kind kept. The message is sanitized and stripped of any
// URL credentials.
func Wrap(backend, op string, err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		if se.Backend == "" {
			se.Backend = backend
		}
		if se.Op == "" {
			se.Op = op
		}
		return se
	}
	k := Classify(err)
	return &Error{Backend: backend, Op: op, Kind: k, Msg: CleanMessage(err), Err: err}
}

// HTTPError builds the error for a non-2xx answer, keeping the server's own
// text (sanitized and cut to a readable length) as the detail.
func HTTPError(backend, op string, status int, body string) *Error {
	msg := Truncate(sanitize.Line(body), 400)
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d", status)
	}
	return &Error{Backend: backend, Op: op, Kind: KindForAnswer(status, body), Status: status, Msg: msg}
}

// CleanMessage renders err for people: url.Error is reduced to its cause so
// that no query string or userinfo leaks, and the text is sanitized.
func CleanMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		where := ""
		if perr == nil {
			where = u.Host
		}
		cause := ue.Err.Error()
		var oe *net.OpError
		if errors.As(ue.Err, &oe) && oe.Err != nil {
			cause = oe.Err.Error()
		}
		if where != "" {
			return sanitize.Line(where + ": " + cause)
		}
		return sanitize.Line(cause)
	}
	return sanitize.Line(err.Error())
}

// Truncate cuts s to at most n bytes on a rune boundary, marking the cut,
// so a long server message never ends in half a UTF-8 character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// HTTPErrorText pulls the readable reason out of an error answer's body:
// the log backends answer plain text, proxies and gateways sometimes JSON
// ({"error": ...} or {"message": ...}) or an HTML page, which is replaced
// by the status line. The result is not yet sanitized or cut.
func HTTPErrorText(status int, body []byte) string {
	t := strings.TrimSpace(string(body))
	if strings.HasPrefix(t, "{") {
		var v struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal([]byte(t), &v) == nil {
			switch {
			case v.Error != "":
				return v.Error
			case v.Message != "":
				return v.Message
			}
		}
	}
	if l := strings.ToLower(t); strings.Contains(l, "<html") || strings.HasPrefix(l, "<!doctype") {
		return fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	return t
}
