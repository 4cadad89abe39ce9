package pane

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/sources/links"
)

func TestCopyLink(t *testing.T) {
	l := links.Link{URL: "http://prom:9090/graph?g0.expr=up\x1b[2J", Where: links.WhereExplore}
	flash, cmd := CopyLink(l, true, "set grafana.url")
	if cmd == nil {
		t.Fatal("a link gave no copy Cmd")
	}
	msg, ok := cmd().(CopyMsg)
	if !ok || strings.ContainsRune(msg.Text, 0x1b) || !strings.HasPrefix(msg.Text, "http://prom:9090/graph?g0.expr=up") {
		t.Fatalf("copied %#v: want the URL without its escape", msg)
	}
	if want := "copied link to Grafana Explore: " + msg.Text; flash != want {
		t.Fatalf("flash %q, want %q", flash, want)
	}
	for _, c := range []struct {
		l  links.Link
		ok bool
	}{{l, false}, {links.Link{Where: "x"}, true}} {
		if flash, cmd := CopyLink(c.l, c.ok, "set grafana.url"); flash != "set grafana.url" || cmd != nil {
			t.Errorf("CopyLink(%+v, %v) = %q, %v: want the hint and no Cmd", c.l, c.ok, flash, cmd != nil)
		}
	}
}
