package jaeger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/reltui/reltui/sources"
)

func TestKindForCode(t *testing.T) {
	cases := []struct {
		code codes.Code
		msg  string
		want sources.Kind
	}{
		{codes.Unavailable, "connection refused", sources.KindUnreachable},
		{codes.DeadlineExceeded, "", sources.KindTimeout},
		{codes.InvalidArgument, "bad id", sources.KindBadQuery},
		{codes.NotFound, "trace not found", sources.KindNotFound},
		{codes.ResourceExhausted, "grpc: received message larger than max (9000 vs. 4096)", sources.KindTooMuchData},
		{codes.ResourceExhausted, "grpc: trying to send message larger than max", sources.KindTooMuchData},
		{codes.ResourceExhausted, "rate limit exceeded for tenant", sources.KindRateLimited},
		{codes.Unauthenticated, "", sources.KindUnauthorized},
		{codes.PermissionDenied, "", sources.KindUnauthorized},
		{codes.Internal, "storage failed", sources.KindServerError},
		{codes.Unknown, "", sources.KindServerError},
		{codes.Canceled, "", sources.KindCanceled},
		{codes.Unimplemented, "unknown service", sources.KindBadResponse},
	}
	for _, c := range cases {
		if got := kindForCode(c.code, c.msg); got != c.want {
			t.Errorf("%v %q → %v, want %v", c.code, c.msg, got, c.want)
		}
	}
}

func TestToErrorKeepsServerMessageSanitized(t *testing.T) {
	err := toError("get_trace", status.Error(codes.Internal, "failed to fetch spans: \x1b[31mcassandra\x1b[0m timeout"))
	var se *sources.Error
	if !errors.As(err, &se) {
		t.Fatalf("not a *sources.Error: %T", err)
	}
	if se.Backend != "jaeger" || se.Op != "get_trace" || se.Kind != sources.KindServerError {
		t.Errorf("stamp = %+v", se)
	}
	if !strings.Contains(se.Msg, "cassandra") || !strings.Contains(se.Msg, "timeout") {
		t.Errorf("server text lost: %q", se.Msg)
	}
	if strings.ContainsRune(se.Error(), 0x1b) {
		t.Errorf("escape in error: %q", se.Error())
	}
	if status.Code(errors.Unwrap(err)) != codes.Internal {
		t.Error("cause not kept")
	}
}

func TestToErrorShortensLongMessages(t *testing.T) {
	long := strings.Repeat("é", 1000)
	se := toError("x", status.Error(codes.Internal, long)).(*sources.Error)
	if len(se.Msg) > maxMsgLen+len("…") || !strings.HasSuffix(se.Msg, "…") {
		t.Fatalf("len=%d suffix=%q", len(se.Msg), se.Msg[len(se.Msg)-4:])
	}
	if !strings.HasPrefix(long, strings.TrimSuffix(se.Msg, "…")) {
		t.Fatal("shortening split a UTF-8 sequence")
	}
}

func TestToErrorNonStatus(t *testing.T) {
	if k := sources.KindOf(toError("x", context.DeadlineExceeded)); k != sources.KindTimeout {
		t.Errorf("deadline → %v", k)
	}
	if k := sources.KindOf(toError("x", fmt.Errorf("wrapped: %w", context.Canceled))); k != sources.KindCanceled {
		t.Errorf("canceled → %v", k)
	}
	pre := &sources.Error{Kind: sources.KindNotFound}
	if got := toError("x", pre); got != pre {
		t.Error("an existing *sources.Error must pass through unchanged")
	}
	if toError("x", nil) != nil {
		t.Error("nil in, non-nil out")
	}
}
