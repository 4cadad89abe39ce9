package pane

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/sources"
)

func TestErrTextKindAndSanitizedReason(t *testing.T) {
	k, r := ErrText(&sources.Error{Backend: "prometheus", Kind: sources.KindBadQuery, Msg: "parse error \x1b]52;c;aGk=\x07 at 3"})
	if k != sources.KindBadQuery.String() || !strings.Contains(r, "parse error") || strings.ContainsAny(r, "\x1b\x07") {
		t.Fatalf("got %q, %q", k, r)
	}
	if _, r := ErrText(&sources.Error{Backend: "loki", Kind: sources.KindServerError}); r != "no detail from loki" {
		t.Fatalf("empty reason = %q", r)
	}
}
