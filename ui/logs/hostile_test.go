package logs

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
)

// hostileLines are log lines an attacker who can write to the logs might
// send: each tries to reach the terminal with a control sequence.
var hostileLines = []string{
	"csi \x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared",
	"osc52 \x1b]52;c;ZXZpbA==\x07 clipboard",
	"osc8 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ title \x1b]0;pwned\x1b\\",
	"dcs \x1bPq#0;2;0;0;0#0~~\x1b\\ sixel",
	"apc \x1b_Gf=100;AAAA\x1b\\ kitty",
	"pm sos \x1b^priv\x1b\\ \x1bXsos\x1b\\",
	"c1 \u009b31m csi \u009d0;title\u009c osc \u0090dcs\u009c \u0085nel",
	"raw c1 bytes \x9b31m \x9d0;t\x07",
	"bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark",
	"carriage\roverwrite",
	"bell\x07 bs\x08 del\x7f nul\x00",
	"unterminated osc \x1b]52;c;ZXZp",
	`{"level":"error","msg":"json \u001b[31m escaped \u009b stays text","raw":"` + "\u009b\u202e" + `"}`,
	"level=warn msg=\"logfmt \x1b[5mblink\" key=\u202eval",
	"CJK 日本語テキスト emoji 🚀🔥 combining e\u0301 wide ｱｲｳ",
}

// checkFrame asserts a frame rendered with the ASCII profile carries no
// control sequence at all: every ESC, C1, bidi control, CR and BEL in it
// could only have come from content.
func checkFrame(t *testing.T, what, v string) {
	t.Helper()
	if !utf8.ValidString(v) {
		t.Errorf("%s: frame is not valid UTF-8", what)
	}
	for i, r := range v {
		bad := r == 0x1b || r == '\r' || r == 0x07 || (r < 0x20 && r != '\n') || r == 0x7f ||
			(r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
		if bad {
			lo := max(0, i-30)
			t.Errorf("%s: control %U at byte %d: %q", what, r, i, v[lo:min(len(v), i+30)])
			return
		}
	}
}

func hostileEntries() []sources.LogEntry {
	var es []sources.LogEntry
	for i, l := range hostileLines {
		es = append(es, sources.LogEntry{
			Time:     fixedNow.Add(-time.Duration(len(hostileLines)-i) * time.Second),
			Labels:   map[string]string{"app": "evil\x1b[2J", "te\x1b]0;x\x07am": "v\u202eal\u009b1m"},
			Line:     l,
			Metadata: map[string]string{"trace\x1b[31m": "id\x1b]52;c;eA==\x07", "note": "\u202ereversed"},
		})
	}
	// Newest first, as a backward query answers.
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

func TestHostileContentNeverReachesTheTerminal(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {200, 50}} {
		src := &fakeSource{}
		src.returning(hostileEntries(), "warning \x1b]52;c;ZXZpbA==\x07 from \u009b2J loki")
		m, _ := newTestModel(t, src, size.w, size.h)
		m.SetHistory([]string{"{app=\"x\"}\x1b[2J"})
		m.editor.SetValue("{app=\"evil\"}\x1b]0;t\x07")
		settle(m, press(m, "i", "enter"))
		if m.buf.Len() != len(hostileLines) {
			t.Fatalf("loaded %d lines", m.buf.Len())
		}
		checkFrame(t, "list", m.View())
		press(m, "l")
		checkFrame(t, "labels", m.View())
		press(m, "w")
		checkFrame(t, "labels+wrap", m.View())
		press(m, "/", "e", "enter", "c")
		checkFrame(t, "filter+context", m.View())
		press(m, "esc", "e")
		checkFrame(t, "expanded", m.View())
		for i := range hostileLines {
			m.sel = i
			m.clampScroll()
			checkFrame(t, "list row "+hostileLines[i][:4], m.View())
			press(m, "enter")
			checkFrame(t, "detail of "+hostileLines[i][:4], m.View())
			press(m, "esc")
		}
		// Errors from the backend carry outside text too.
		src.setQuery(func(context.Context, sources.LogQuery) (*sources.LogResult, error) {
			return nil, &sources.Error{Backend: "loki", Kind: sources.KindBadQuery, Msg: "parse error \x1b]52;c;ZXZpbA==\x07 near \u202e}"}
		})
		settle(m, press(m, "i", "enter"))
		if m.lastErr() == nil {
			t.Fatal("error not recorded")
		}
		checkFrame(t, "error", m.View())

		v := m.View()
		press(m, "G", "enter")
		v += m.View()
		for _, want := range []string{"日本語テキスト", "🚀🔥", "ｱｲｳ", "e\u0301"} {
			if !strings.Contains(v, want) {
				t.Errorf("%q did not pass through:\n%s", want, v)
			}
		}
	}
}

// TestHostileContentInColour checks the 256-colour frame: it has the
// pane's own SGR sequences, but none of the content's.
func TestHostileContentInColour(t *testing.T) {
	src := &fakeSource{}
	src.returning(hostileEntries())
	m, _ := newTestModelIn(t, termenv.ANSI256, src, 200, 50)
	m.editor.SetValue(`{app="evil"}`)
	settle(m, press(m, "i", "enter"))
	press(m, "l", "w")
	frames := m.View()
	for i := range hostileLines {
		m.sel = i
		press(m, "enter")
		frames += m.View()
		press(m, "esc")
	}
	for _, bad := range []string{"]52;", "]8;;", "]0;", "[2J", "[H", "[5m", "P" + "q#0", "_Gf=", "^priv", "Xsos", "\r", "\x07", "\u202e", "\u009b", "\u009d"} {
		if strings.Contains(frames, bad) {
			t.Errorf("content sequence %q reached the frame", bad)
		}
	}
	// The only escapes left are SGR: ESC [ params m.
	for i := 0; i < len(frames); i++ {
		if frames[i] != 0x1b {
			continue
		}
		j := i + 1
		if j >= len(frames) || frames[j] != '[' {
			t.Fatalf("non-CSI escape at %d: %q", i, frames[i:min(len(frames), i+10)])
		}
		for j++; j < len(frames) && (frames[j] >= '0' && frames[j] <= '9' || frames[j] == ';'); j++ {
		}
		if j >= len(frames) || frames[j] != 'm' {
			t.Fatalf("non-SGR escape at %d: %q", i, frames[i:min(len(frames), i+10)])
		}
	}
}
