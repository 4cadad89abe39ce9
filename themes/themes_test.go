package themes

import (
	"reflect"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestEveryTokenSet(t *testing.T) {
	for _, name := range Names() {
		p, err := ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.ValueOf(p)
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Type() == reflect.TypeOf((*lipgloss.TerminalColor)(nil)).Elem() && f.IsNil() {
				t.Errorf("%s: token %s unset", name, v.Type().Field(i).Name)
			}
		}
	}
}

func TestByName(t *testing.T) {
	for in, want := range map[string]string{"": "dark", "LIGHT": "light", "none": "no-color", "hc": "high-contrast"} {
		p, err := ByName(in)
		if err != nil || p.Name != want {
			t.Errorf("ByName(%q) = %s, %v", in, p.Name, err)
		}
	}
	if _, err := ByName("solarized"); err == nil {
		t.Fatal("unknown theme accepted")
	}
	if p, _ := ByName("no-color"); !p.Mono {
		t.Fatal("no-color not mono")
	}
}
