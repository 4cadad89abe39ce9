package backfill

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/demo/shop"
)

var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} (\S+) (\d+)$`)

type parsed struct {
	families map[string]string // family -> type
	series   map[string][]point
	order    []string
}

type point struct {
	v  float64
	ts int64
}

// parse is a deliberately strict reader of the subset we emit: any line it
// does not understand fails the test.
func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\n# EOF\n")) {
		t.Fatalf("file does not end with # EOF line: %q", data[max(0, len(data)-40):])
	}
	p := parsed{families: map[string]string{}, series: map[string][]point{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	current := ""
	eof := false
	for sc.Scan() {
		line := sc.Text()
		if eof {
			t.Fatalf("content after # EOF: %q", line)
		}
		switch {
		case line == "# EOF":
			eof = true
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if len(f) != 4 {
				t.Fatalf("bad TYPE line %q", line)
			}
			current = f[2]
			p.families[f[2]] = f[3]
		case strings.HasPrefix(line, "# HELP "):
		default:
			m := sampleLine.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("bad sample line %q", line)
			}
			name := m[1]
			typ := p.families[current]
			var ok bool
			switch typ {
			case "counter":
				ok = name == current+"_total"
			case "histogram":
				ok = name == current+"_bucket" || name == current+"_count" || name == current+"_sum"
			}
			if !ok {
				t.Fatalf("sample %q does not belong to family %q (%s)", name, current, typ)
			}
			if !strings.Contains(m[2], `env="test"`) {
				t.Fatalf("series without env label: %q", line)
			}
			v, err := strconv.ParseFloat(m[3], 64)
			if err != nil {
				t.Fatalf("bad value in %q", line)
			}
			ts, _ := strconv.ParseInt(m[4], 10, 64)
			key := name + "{" + m[2] + "}"
			if _, seen := p.series[key]; !seen {
				p.order = append(p.order, key)
			}
			p.series[key] = append(p.series[key], point{v, ts})
		}
	}
	if !eof {
		t.Fatal("no # EOF line")
	}
	return p
}

func smallConfig() Config {
	return Config{
		End:               time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC),
		Span:              2 * time.Hour,
		Step:              time.Minute,
		Rate:              5,
		Env:               "test",
		Seed:              7,
		HistogramServices: []string{shop.Frontend, shop.Payments},
	}
}

func TestWriteFormat(t *testing.T) {
	c := smallConfig()
	var buf bytes.Buffer
	res, err := Write(&buf, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Bytes != int64(buf.Len()) {
		t.Errorf("Result.Bytes = %d, wrote %d", res.Bytes, buf.Len())
	}
	p := parse(t, buf.Bytes())
	if p.families["http_requests"] != "counter" || p.families["http_request_duration_seconds"] != "histogram" {
		t.Fatalf("families = %v", p.families)
	}
	if len(p.series) != res.Series {
		t.Errorf("parsed %d series, Result says %d", len(p.series), res.Series)
	}
	// 11 counters, 2 histograms of 9 buckets + count + sum.
	if want := 11 + 2*11; len(p.series) != want {
		t.Errorf("got %d series, want %d", len(p.series), want)
	}
	wantPoints := int(c.Span/c.Step) + 1
	lo, hi := c.End.Add(-c.Span).Unix(), c.End.Unix()
	for key, pts := range p.series {
		if len(pts) != wantPoints {
			t.Errorf("%s: %d points, want %d", key, len(pts), wantPoints)
		}
		for i, pt := range pts {
			if pt.ts < lo || pt.ts > hi {
				t.Fatalf("%s: timestamp %d outside [%d,%d]", key, pt.ts, lo, hi)
			}
			if i > 0 && pt.ts-pts[i-1].ts != 60 {
				t.Fatalf("%s: spacing %ds at %d", key, pt.ts-pts[i-1].ts, i)
			}
			if i > 0 && pt.v < pts[i-1].v {
				t.Fatalf("%s: counter went down %v -> %v", key, pts[i-1].v, pt.v)
			}
		}
	}
	// Buckets are cumulative and +Inf equals _count at every point.
	for _, svc := range []string{"frontend", "payments"} {
		ep, _ := shop.EndpointOf(svc)
		base := `service="` + svc + `",route="` + ep.Route + `"`
		count := p.series[`http_request_duration_seconds_count{`+base+`,env="test"}`]
		if count == nil {
			t.Fatalf("no _count for %s", svc)
		}
		var prev []point
		for _, le := range append(shop.Buckets(), 1e308) {
			les := shop.FormatLe(le)
			if le == 1e308 {
				les = "+Inf"
			}
			b := p.series[`http_request_duration_seconds_bucket{`+base+`,le="`+les+`",env="test"}`]
			if b == nil {
				t.Fatalf("no bucket le=%s for %s", les, svc)
			}
			for i := range b {
				if prev != nil && b[i].v < prev[i].v {
					t.Fatalf("%s bucket le=%s below previous bucket at %d", svc, les, i)
				}
			}
			prev = b
		}
		for i := range prev {
			if prev[i].v != count[i].v {
				t.Fatalf("%s: +Inf %v != count %v at %d", svc, prev[i].v, count[i].v, i)
			}
		}
		if count[len(count)-1].v == 0 {
			t.Fatalf("%s: no requests at all", svc)
		}
	}
	// Frontend's counters add up to its histogram count.
	var total float64
	for _, code := range []string{"200", "500", "503"} {
		s := p.series[`http_requests_total{service="frontend",route="/api/checkout",code="`+code+`",env="test"}`]
		total += s[len(s)-1].v
	}
	fc := p.series[`http_request_duration_seconds_count{service="frontend",route="/api/checkout",env="test"}`]
	if total != fc[len(fc)-1].v {
		t.Errorf("frontend counters sum to %v, histogram count is %v", total, fc[len(fc)-1].v)
	}
}

func TestWriteDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if _, err := Write(&a, smallConfig()); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, smallConfig()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed gave different files")
	}
}

func TestWriteRejectsBadConfig(t *testing.T) {
	c := smallConfig()
	c.HistogramServices = []string{"orders"}
	if _, err := Write(&bytes.Buffer{}, c); err == nil {
		t.Fatal("want error for a service without HTTP")
	}
	c = smallConfig()
	c.Step = 0
	if _, err := Write(&bytes.Buffer{}, c); err == nil {
		t.Fatal("want error for zero step")
	}
}

// TestBudgetShape checks the property the backfill exists for: over 30
// days a 99.9% availability SLO still has budget, and the incidents stand
// out as hours of percent-level errors.
func TestBudgetShape(t *testing.T) {
	c := smallConfig()
	c.Span = 30 * 24 * time.Hour
	c.Rate = 0.5
	c.HistogramServices = nil
	incs := Incidents(c)
	if len(incs) != 3 {
		t.Fatalf("got %d incidents, want 3", len(incs))
	}
	for i, in := range incs {
		if d := in.End.Sub(in.Start); d < time.Hour || d > 4*time.Hour {
			t.Errorf("incident %d lasts %v", i, d)
		}
		if in.Start.Before(c.End.Add(-c.Span)) || in.End.After(c.End.Add(-12*time.Hour)) {
			t.Errorf("incident %d at %v..%v is outside the window or too near its end", i, in.Start, in.End)
		}
		if i > 0 && !in.Start.After(incs[i-1].End) {
			t.Errorf("incidents %d and %d overlap", i-1, i)
		}
	}
	h := simulate(c, incs)
	ratio := func(svc string, from, to int) float64 {
		var all, bad float64
		for i, k := range h.counters {
			if k.service != svc {
				continue
			}
			d := float64(h.counts[i][to] - h.counts[i][from])
			all += d
			if k.code != 200 {
				bad += d
			}
		}
		return bad / all
	}
	last := len(h.times) - 1
	for _, svc := range []string{shop.Frontend, shop.Payments} {
		r := ratio(svc, 0, last)
		t.Logf("%s 30-day error ratio %.5f", svc, r)
		if r <= 0.0002 || r >= 0.001 {
			t.Errorf("%s 30-day error ratio %.5f, want between 0.02%% and 0.1%%", svc, r)
		}
	}
	for _, in := range incs {
		from := int(in.Start.Sub(h.times[0])/c.Step) + 15
		to := int(in.End.Sub(h.times[0])/c.Step) - 15
		t.Logf("%s: frontend %.4f payments %.4f", in.Summary, ratio(shop.Frontend, from, to), ratio(shop.Payments, from, to))
		if r := ratio(shop.Frontend, from, to); r < 0.01 || r > 0.08 {
			t.Errorf("frontend error ratio during %q = %.4f, want 1%%–8%%", in.Summary, r)
		}
	}
}

// TestPromtoolAccepts runs the real importer when it is installed, because
// promtool's parser is the judge of what "OpenMetrics" means here.
func TestPromtoolAccepts(t *testing.T) {
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "in.om")
	var buf bytes.Buffer
	if _, err := Write(&buf, smallConfig()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "tsdb", "create-blocks-from", "openmetrics", f, filepath.Join(dir, "blocks")).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "BLOCK ULID") {
		t.Fatalf("promtool made no blocks:\n%s", out)
	}
}
