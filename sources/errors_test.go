package sources

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

func TestHTTPErrorKeepsServerTextSafely(t *testing.T) {
	body := strings.Repeat("é", 300) + "\x1b[31m"
	e := HTTPError("loki", "query", 400, body)
	if e.Kind != KindBadQuery || e.Status != 400 {
		t.Fatalf("kind %v status %d", e.Kind, e.Status)
	}
	if !utf8.ValidString(e.Msg) || strings.Contains(e.Msg, "\x1b") || !strings.HasSuffix(e.Msg, "…") {
		t.Fatalf("msg not cut cleanly: %q", e.Msg)
	}
	if HTTPError("p", "q", 503, "").Msg != "HTTP 503" {
		t.Fatal("empty body gives no message")
	}
}

func TestKindForStatus(t *testing.T) {
	cases := map[int]Kind{400: KindBadQuery, 422: KindBadQuery, 401: KindUnauthorized, 403: KindUnauthorized, 404: KindNotFound,
		413: KindTooMuchData, 429: KindRateLimited, 504: KindTimeout, 500: KindServerError, 503: KindServerError, 200: KindUnknown}
	for code, want := range cases {
		if got := KindForStatus(code); got != want {
			t.Errorf("KindForStatus(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestClassifyAndCleanMessage(t *testing.T) {
	refused := &url.Error{Op: "Get", URL: "http://user:hunter2@127.0.0.1:1/loki/api/v1/query?query=secret", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	if k := Classify(refused); k != KindUnreachable {
		t.Fatalf("refused classified %v", k)
	}
	msg := CleanMessage(refused)
	if strings.Contains(msg, "hunter2") || strings.Contains(msg, "secret") || !strings.Contains(msg, "127.0.0.1:1") {
		t.Fatalf("message leaks or lacks host: %q", msg)
	}
	if Classify(context.DeadlineExceeded) != KindTimeout || Classify(context.Canceled) != KindCanceled {
		t.Fatal("context errors misclassified")
	}
	wrapped := Wrap("prometheus", "query", fmt.Errorf("x: %w", refused))
	var se *Error
	if !errors.As(wrapped, &se) || se.Kind != KindUnreachable || se.Backend != "prometheus" {
		t.Fatalf("Wrap = %#v", wrapped)
	}
	if KindOf(wrapped) != KindUnreachable || !KindUnreachable.Retryable() || KindBadQuery.Retryable() {
		t.Fatal("KindOf/Retryable wrong")
	}
}

func TestTruncate(t *testing.T) {
	if Truncate("abc", 5) != "abc" || Truncate("abcdef", 3) != "abc…" {
		t.Fatal("ascii truncate")
	}
	if got := Truncate("日本語", 4); got != "日…" {
		t.Fatalf("rune boundary: %q", got)
	}
}

func TestKindForAnswerPrecedence(t *testing.T) {
	cases := []struct {
		status int
		msg    string
		want   Kind
	}{
		{429, "too many samples", KindRateLimited},            // the status wins over the text
		{403, "max entries limit", KindUnauthorized},          // so does auth
		{400, "rate limit exceeded", KindRateLimited},         // not a size limit
		{400, "Max Entries Limit per query", KindTooMuchData}, // case does not matter
		{500, "context deadline exceeded", KindTimeout},
		{400, "parse error at line 1", KindBadQuery},
		{503, "", KindServerError},
		{302, "Found", KindBadResponse},       // a redirect is not the API
		{405, "not allowed", KindBadResponse}, // nor is an unexpected 4xx
		{0, "something", KindUnknown},         // no status, no known text
		{0, "grpc: received message larger than max (5 vs. 4)", KindTooMuchData},
	}
	for _, c := range cases {
		if got := KindForAnswer(c.status, c.msg); got != c.want {
			t.Errorf("KindForAnswer(%d, %q) = %v, want %v", c.status, c.msg, got, c.want)
		}
	}
}

func TestConfigErrorIsNotRetried(t *testing.T) {
	e := ConfigError("loki", "header \"X\x1b[31m\" has an invalid name", nil)
	if e.Kind != KindConfig || e.Kind.Retryable() || strings.Contains(e.Error(), "\x1b") {
		t.Fatalf("%#v renders %q", e, e.Error())
	}
	if got := e.Error(); !strings.HasPrefix(got, "loki: bad config: ") {
		t.Fatalf("renders %q", got)
	}
}
