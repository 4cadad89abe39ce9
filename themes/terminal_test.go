package themes

import "testing"

func TestForTerminalHonoursNoColourFirst(t *testing.T) {
	for _, c := range []struct {
		name           string
		noColor, ascii bool
		wantMono       bool
		wantErr        bool
	}{
		{"light", false, false, false, false},
		{"light", true, false, true, false},
		{"high-contrast", false, true, true, false},
		{"bogus", true, false, true, false},
		{"bogus", false, false, false, true},
	} {
		p, err := ForTerminal(c.name, c.noColor, c.ascii)
		if (err != nil) != c.wantErr || err == nil && p.Mono != c.wantMono {
			t.Errorf("ForTerminal(%q, %v, %v) = mono %v, %v; want mono %v, error %v", c.name, c.noColor, c.ascii, p.Mono, err, c.wantMono, c.wantErr)
		}
	}
	if p, _ := ForTerminal("light", false, false); p.Name != Light().Name {
		t.Errorf("a named theme: %q", p.Name)
	}
}
