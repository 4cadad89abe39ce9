package pane

import "testing"

func TestCopied(t *testing.T) {
	for _, tc := range []struct {
		name, text, flash string
		copies            bool
	}{
		{"text", "line one\nline two", "copied 17 bytes", true},
		{"only escapes", "\x1b[31m\x1b[0m", "nothing to copy", false},
		{"empty", "", "nothing to copy", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, cmd := CopyTextCmd(tc.text)
			flash, copy := Copied(text, cmd, "nothing to copy", "copied %d bytes")
			if flash != tc.flash || (copy != nil) != tc.copies {
				t.Fatalf("flash %q, Cmd %v; want %q, %v", flash, copy != nil, tc.flash, tc.copies)
			}
			if copy == nil {
				return
			}
			if msg, ok := copy().(CopyMsg); !ok || msg.Text != text {
				t.Errorf("the Cmd sends %#v, want a CopyMsg of %q", copy(), text)
			}
		})
	}
}
