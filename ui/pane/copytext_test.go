package pane

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestCopyTextCmdKeepsLines(t *testing.T) {
	text, cmd := CopyTextCmd("panic: boom\n\tat main.go:12\x1b]52;c;ZXZpbA==\x07")
	if strings.ContainsAny(text, "\x1b\x07") || !strings.HasPrefix(text, "panic: boom\n\tat main.go:12") {
		t.Fatalf("text %q: want the lines kept and the escape gone", text)
	}
	msg, ok := cmd().(CopyMsg)
	if !ok || msg.Text != text {
		t.Fatalf("msg = %#v", msg)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(msg.Sequence, "\x1b]52;c;"), "\x07")
	if got, err := base64.StdEncoding.DecodeString(body); err != nil || string(got) != text {
		t.Fatalf("sequence %q carries %q (%v), want %q", msg.Sequence, got, err, text)
	}
	if text, cmd := CopyTextCmd("\x1b[2J"); text != "" || cmd != nil {
		t.Fatalf("nothing left to copy gave %q, %v", text, cmd != nil)
	}
}
