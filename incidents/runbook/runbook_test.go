package runbook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = "# Payments error burst\n\nIntro text.\n\n" +
	"## Check\n\n" +
	"1. Look at the error ratio\n\n   ```promql\n   sum(rate(http_requests_total{code=~\"5..\"}[1m]))\n   ```\n\n" +
	"2. Read the failing requests \x1b[31mnow\x1b[0m\n   - nested detail\n\n" +
	"```logsql\n{service=\"payments\"} error\n```\n\n" +
	"```bash\nkubectl rollout undo\n```\n"

func TestParseStepsAndQueries(t *testing.T) {
	d := Parse(sample)
	var got []string
	for _, s := range d.Steps {
		got = append(got, fmt.Sprintf("%d %s%d %s q=%d", s.Number, s.Kind, s.Level, s.Text, len(s.Queries)))
	}
	want := []string{
		"1 heading1 Payments error burst q=0",
		"2 heading2 Check q=0",
		"3 item1 Look at the error ratio q=1",
		"4 item1 Read the failing requests now q=0",
		"5 item2 nested detail q=1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	q := d.Steps[2].Queries[0]
	if q.Lang != "promql" || q.Target != TargetMetrics || q.Text != `sum(rate(http_requests_total{code=~"5.."}[1m]))` {
		t.Errorf("query = %+v", q)
	}
	// The logsql block after the list belongs to the last step; bash is
	// not a query language.
	if q := d.Steps[4].Queries[0]; q.Target != TargetLogs || q.Lang != "logsql" {
		t.Errorf("logsql block = %+v", q)
	}
	if strings.Contains(d.Markdown, "\x1b") {
		t.Error("escape sequence survived")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{sample, "", "- a\n- b", "```promql\nup\n```", "# \x1b]52;c;AAAA\x07\n- x\n  ```trace\nabc\n```", "1. ``` \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Parse(s)
		for i, st := range d.Steps {
			if st.Number != i+1 || st.Text == "" || strings.ContainsAny(st.Text, "\x1b\n") {
				t.Fatalf("bad step %+v", st)
			}
			for _, q := range st.Queries {
				if strings.Contains(q.Text, "\x1b") || q.Target == "" {
					t.Fatalf("bad query %+v", q)
				}
			}
		}
	})
}

func writeDir(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLocateOrder(t *testing.T) {
	dir := writeDir(t, map[string]string{"PaymentsErrorBurst.md": "# by name", "checkout.md": "# by service"})
	cases := []struct {
		labels, annots map[string]string
		want           Ref
	}{
		{map[string]string{"alertname": "PaymentsErrorBurst", "service": "checkout"}, nil, Ref{Path: "PaymentsErrorBurst.md", Via: "alert name"}},
		{map[string]string{"alertname": "Other", "service": "checkout"}, nil, Ref{Path: "checkout.md", Via: "service"}},
		{map[string]string{"alertname": "Other", "service": "checkout"}, map[string]string{"runbook_url": "https://wiki.example/x.md"},
			Ref{URL: "https://wiki.example/x.md", Via: "runbook_url annotation", Fallback: "checkout.md"}},
		{map[string]string{"alertname": "Other"}, map[string]string{"runbook": "PaymentsErrorBurst.md"}, Ref{Path: "PaymentsErrorBurst.md", Via: "runbook annotation"}},
	}
	for _, c := range cases {
		got, ok := Locate(c.labels, c.annots, dir)
		if !ok || got != c.want {
			t.Errorf("Locate(%v, %v) = %+v %v, want %+v", c.labels, c.annots, got, ok, c.want)
		}
	}
	if _, ok := Locate(map[string]string{"alertname": "../etc"}, nil, dir); ok {
		t.Error("found a runbook for a name with a path in it")
	}
}

func TestLoadLocalStaysInsideDir(t *testing.T) {
	dir := writeDir(t, map[string]string{"a.md": "- step one\n"})
	l, err := Load(context.Background(), Ref{Path: "a.md"}, Options{Dir: dir})
	if err != nil || len(l.Steps) != 1 {
		t.Fatalf("Load = %+v, %v", l, err)
	}
	outside := filepath.Join(t.TempDir(), "secret.md")
	_ = os.WriteFile(outside, []byte("secret"), 0o644)
	for _, p := range []string{"../" + filepath.Base(filepath.Dir(outside)) + "/secret.md", outside} {
		if _, err := Load(context.Background(), Ref{Path: p}, Options{Dir: dir}); err == nil {
			t.Errorf("read %s from outside the runbook directory", p)
		}
	}
	if _, err := Load(context.Background(), Ref{Path: "a.md"}, Options{}); err == nil {
		t.Error("read a local runbook with no directory configured")
	}
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.md":
			w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
			fmt.Fprint(w, "# Fetched\n- step \x1b]52;c;ZXZpbA==\x07one\n")
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html></html>")
		case "/big.md":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, strings.Repeat("x", 2048))
		case "/away":
			http.Redirect(w, r, "http://elsewhere.invalid/x.md", http.StatusFound)
		case "/slow.md":
			time.Sleep(2 * time.Second)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	opt := Options{AllowedHosts: []string{u.Host}, MaxBytes: 1024, Timeout: 500 * time.Millisecond}

	md, err := Fetch(context.Background(), srv.URL+"/ok.md", opt)
	if err != nil || !strings.Contains(md, "step one") || strings.Contains(md, "\x1b") {
		t.Errorf("ok: %q %v", md, err)
	}
	_, err = Fetch(context.Background(), srv.URL+"/ok.md", Options{AllowedHosts: []string{"runbooks.example.com"}})
	if !errors.Is(err, ErrHostNotAllowed) || !strings.Contains(err.Error(), "runbooks.allowed_hosts") {
		t.Errorf("not allowed: %v", err)
	}
	for path, want := range map[string]string{"/page": "not plain Markdown", "/big.md": "limit", "/away": "redirect", "/slow.md": "fetch runbook"} {
		if _, err := Fetch(context.Background(), srv.URL+path, opt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to mention %q", path, err, want)
		}
	}
	// A refused URL falls back to the directory's match, saying why.
	dir := writeDir(t, map[string]string{"x.md": "- local step\n"})
	l, err := Load(context.Background(), Ref{URL: "https://runbooks.example.com/x.md", Fallback: "x.md"}, Options{Dir: dir})
	if err != nil || !errors.Is(l.FetchErr, ErrHostNotAllowed) || l.Steps[0].Text != "local step" {
		t.Errorf("fallback: %+v %v", l, err)
	}
}

func TestHostAllowed(t *testing.T) {
	u, _ := url.Parse("https://Wiki.Example.com:8443/a.md")
	if !HostAllowed(u, []string{"wiki.example.com"}) || !HostAllowed(u, []string{"wiki.example.com:8443"}) {
		t.Error("allowed host refused")
	}
	if HostAllowed(u, []string{"wiki.example.com:443", "example.com", ""}) {
		t.Error("host allowed by a different port or a parent domain")
	}
}

func FuzzLocate(f *testing.F) {
	dir := f.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "A.md"), []byte("- a"), 0o644)
	for _, s := range []string{"https://x.example/a.md", "file:///etc/passwd", "../../etc/passwd", "A.md", "\x1b]52;c;x\x07http://a", "http://[::1", ""} {
		f.Add("A", s)
	}
	f.Fuzz(func(t *testing.T, name, annot string) {
		ref, ok := Locate(map[string]string{"alertname": name}, map[string]string{"runbook_url": annot}, dir)
		if !ok {
			return
		}
		if strings.ContainsRune(ref.URL+ref.Path+ref.Fallback, 0x1b) {
			t.Fatalf("escape in %+v", ref)
		}
		if ref.URL == "" && ref.Path == "" {
			t.Fatalf("found nothing but said ok: %+v", ref)
		}
		// Whatever the annotation says, a local read stays inside dir.
		if ref.Path != "" {
			if l, err := Load(context.Background(), ref, Options{Dir: dir}); err == nil && l.Markdown != "- a" {
				t.Fatalf("read %q from %+v", l.Markdown, ref)
			}
		}
	})
}
