package jaeger

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// backendName is how this backend appears in errors and in the guard.
const backendName = "jaeger"

// maxMsgLen keeps a server's error text to what fits a status line; some
// storage backends put whole query dumps into their errors.
const maxMsgLen = 400

// kindForCode maps a gRPC status code onto the Kind a caller acts on. msg is
// the status message; it decides between the two meanings of
// ResourceExhausted.
func kindForCode(c codes.Code, msg string) sources.Kind {
	switch c {
	case codes.Unavailable:
		return sources.KindUnreachable
	case codes.DeadlineExceeded:
		return sources.KindTimeout
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		return sources.KindBadQuery
	case codes.NotFound:
		return sources.KindNotFound
	case codes.ResourceExhausted:
		// grpc reports its own message size limit (either side) as
		// ResourceExhausted; so do rate limiters and quota proxies.
		if sources.KindForText(msg) == sources.KindTooMuchData {
			return sources.KindTooMuchData
		}
		return sources.KindRateLimited
	case codes.Unauthenticated, codes.PermissionDenied:
		return sources.KindUnauthorized
	case codes.Internal, codes.Unknown, codes.DataLoss, codes.Aborted:
		return sources.KindServerError
	case codes.Canceled:
		return sources.KindCanceled
	case codes.Unimplemented:
		// The address answers gRPC but not the Jaeger query API, e.g. the
		// collector port or an OTLP endpoint.
		return sources.KindBadResponse
	}
	return sources.KindUnknown
}

// toError turns whatever a gRPC call returned into a *sources.Error with the
// right Kind, keeping the server's message (sanitized, shortened). It must
// run inside the guarded function, so that retry and breaker decisions see
// the real kind rather than an unclassified gRPC error.
func toError(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sources.Error
	if errors.As(err, &se) {
		return err
	}
	// A context error that surfaced before gRPC saw it keeps its own kind.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return sources.Wrap(backendName, op, err)
	}
	st, ok := status.FromError(err)
	if !ok {
		return sources.Wrap(backendName, op, err)
	}
	msg := cleanMsg(st.Message())
	kind := kindForCode(st.Code(), st.Message())
	if st.Code() == codes.Unimplemented {
		msg = "the server does not implement the Jaeger api_v2 QueryService (is this the query gRPC port, usually 16685?)"
	}
	if msg == "" {
		msg = st.Code().String()
	}
	return &sources.Error{Backend: backendName, Op: op, Kind: kind, Msg: msg, Err: err}
}

func cleanMsg(s string) string {
	s = sanitize.Line(s)
	if len(s) > maxMsgLen {
		cut := maxMsgLen
		// Do not split a UTF-8 sequence.
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func badQuery(op, msg string) error {
	return &sources.Error{Backend: backendName, Op: op, Kind: sources.KindBadQuery, Msg: msg}
}
