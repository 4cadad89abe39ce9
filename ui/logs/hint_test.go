package logs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/themes"
)

// labeledSource is a fake Loki that also lists its stream labels.
type labeledSource struct {
	*fakeSource
	names []string
}

func (s labeledSource) Labels(context.Context, time.Time, time.Time) ([]string, error) {
	return s.names, nil
}

// The hints name a selector this Loki has, so a new user's first query
// finds lines.
func TestHintUsesALabelLokiHas(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"env", "level", "service"}, `{service=~".+"}`},
		{[]string{"app", "service_name"}, `{service_name=~".+"}`},
		{[]string{"level"}, `{service_name=~".+"}`}, // nothing better: the default stays
	} {
		src := labeledSource{fakeSource: &fakeSource{}, names: c.names}
		m := New(Config{Source: src, Palette: themes.NoColor(), Basics: atFixedNow()})
		m.SetSize(120, 20)
		settle(m, m.Init())
		if v := m.View(); !strings.Contains(v, "such as "+c.want) {
			t.Fatalf("labels %v: hint does not offer %s:\n%s", c.names, c.want, v)
		}
		m.Close()
	}
}
