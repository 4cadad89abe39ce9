package victorialogs

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func TestIsMetricQuery(t *testing.T) {
	cases := []struct {
		expr string
		want bool
	}{
		{`{service="payments"} | stats by (level) count() hits`, true},
		{`_time:5m | STATS count()`, true},
		{`error | count() errors`, true},
		{`error | by (host) count()`, true},
		{`* | fields level | stats count_uniq(level)`, true},
		{"error\n| stats\n  count()", true},
		{`{service="payments"}`, false},
		{`{service="payments"} error`, false},
		{`"| stats count()"`, false},                  // a phrase, not a pipe
		{`_msg:"a | stats b"`, false},                 // inside a quoted value
		{"error # | stats count()\n| limit 5", false}, // in a comment
		{`error | sort by (_time) | limit 10`, false},
		{`error | uniq by (host)`, false},
		{`error | fields stats`, false},
		{`error | statsx count()`, false},
		{`error | count`, false},
		{`'unterminated | stats count()`, false},
		{``, false},
	}
	for _, c := range cases {
		if got := IsMetricQuery(c.expr); got != c.want {
			t.Errorf("IsMetricQuery(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
}

func TestDecodeStats(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"__name__":"hits","level":"info"},"values":[[1796481000,"1543"],[1796480700.5,"409"]]},
		{"metric":{"__name__":"avg"},"values":[[1796480700,"NaN"],[1796481000,2.5]]},
		{"values":[]}]}}`
	ss, err := decodeStats([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 {
		t.Fatalf("got %d series, want 3", len(ss))
	}
	if ss[0].Labels["level"] != "info" || ss[0].Labels["__name__"] != "hits" {
		t.Errorf("labels = %v", ss[0].Labels)
	}
	// Sorted by time; the fraction kept.
	want0 := time.Unix(1796480700, 5e8).UTC()
	if !ss[0].Samples[0].Time.Equal(want0) || ss[0].Samples[0].Value != 409 || ss[0].Samples[1].Value != 1543 {
		t.Errorf("samples = %v", ss[0].Samples)
	}
	if !math.IsNaN(ss[1].Samples[0].Value) || ss[1].Samples[1].Value != 2.5 {
		t.Errorf("NaN and bare number: %v", ss[1].Samples)
	}
	if ss[2].Labels == nil {
		t.Error("a series without metric must have empty, not nil, labels")
	}
	if ss, err := decodeStats([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`)); err != nil || len(ss) != 0 {
		t.Errorf("empty matrix: %v, %v", ss, err)
	}
	for _, bad := range []string{
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"values":[["x","1"]]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"one"]]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1e300,"1"]]}]}}`,
		`{"status":"error","error":"boom \u001b[31m"}`,
		`not json`,
	} {
		if _, err := decodeStats([]byte(bad)); err == nil {
			t.Errorf("decodeStats(%s) = nil error", bad)
		} else if strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("error keeps an escape: %q", err)
		}
	}
}

func TestStatsWindows(t *testing.T) {
	step := 5 * time.Minute
	from := time.Unix(1796480000+17, 0)
	to := from.Add(3 * time.Hour)
	ws := statsWindows(from, to, time.Hour, step)
	if len(ws) < 3 || !ws[0].from.Equal(from) || !ws[len(ws)-1].to.Equal(to) {
		t.Fatalf("windows = %v", ws)
	}
	for i, w := range ws {
		if w.to.Sub(w.from) > time.Hour || !w.from.Before(w.to) {
			t.Errorf("window %d = %v", i, w)
		}
		if i > 0 && !ws[i-1].to.Equal(w.from) {
			t.Errorf("gap before window %d", i)
		}
		if i < len(ws)-1 && w.to.UnixNano()%int64(step) != 0 {
			t.Errorf("window %d ends off the step grid: %v", i, w.to)
		}
	}
	if ws := statsWindows(from, to, 0, step); len(ws) != 1 {
		t.Errorf("no max length: %v", ws)
	}
}

// TestMetricRangeRequest checks what is sent and how a refusal reads; the
// real answer is tested against the stack's VictoriaLogs.
func TestMetricRangeRequest(t *testing.T) {
	var form map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = map[string]string{"path": r.URL.Path}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		if strings.Contains(form["query"], "bad") {
			w.WriteHeader(422)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"422","error":"cannot parse ` + "`query`" + ` arg [` + form["query"] + `]: missing pipe \u001b[2J"}`))
			return
		}
		if strings.Contains(form["query"], "garbage") {
			_, _ = w.Write([]byte("\x00\xffnot json"))
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"level":"info"},"values":[[1796480700,"3"]]}]}}`))
	}))
	defer srv.Close()
	c, err := New(Config{Address: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	ss, _, err := c.MetricRange(context.Background(), `* | stats by (level) count()`, from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || ss[0].Samples[0].Value != 3 {
		t.Errorf("series = %v", ss)
	}
	if form["path"] != statsQueryRangePath || form["step"] != "14000ms" || form["start"] != "2026-12-05T14:00:00Z" || form["end"] != "2026-12-05T15:00:00Z" {
		t.Errorf("form = %v", form)
	}

	_, _, err = c.MetricRange(context.Background(), `bad | stats count()`, from, to, time.Minute)
	var se *sources.Error
	if !errors.As(err, &se) || se.Kind != sources.KindBadQuery {
		t.Fatalf("refusal: %#v", err)
	}
	if strings.Contains(se.Msg, "bad | stats") || strings.ContainsRune(se.Msg, 0x1b) || !strings.Contains(se.Msg, "missing pipe") {
		t.Errorf("refusal message = %q", se.Msg)
	}
	_, _, err = c.MetricRange(context.Background(), `garbage | stats count()`, from, to, time.Minute)
	if !errors.As(err, &se) || se.Kind != sources.KindBadResponse {
		t.Errorf("garbage: %#v", err)
	}
	for _, step := range []time.Duration{-time.Second} {
		if _, _, err := c.MetricRange(context.Background(), `* | stats count()`, from, to, step); !errors.As(err, &se) || se.Kind != sources.KindBadQuery {
			t.Errorf("step %v: %v", step, err)
		}
	}
	if _, _, err := c.MetricRange(context.Background(), " ", from, to, 0); !errors.As(err, &se) || se.Kind != sources.KindBadQuery {
		t.Errorf("empty query: %v", err)
	}
}

func FuzzDecodeStats(f *testing.F) {
	for _, s := range []string{
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"hits","level":"debug"},"values":[[1796480700,"410"],[1796481000,"1564"]]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"y"},"values":[[1796480700,"NaN"],[1.5,"+Inf"]]}]}}`,
		`{"status":"error","errorType":"422","error":"missing ` + "`| stats ...`" + ` pipe"}`,
		`{"data":{"result":[{"values":[[1,2]]}]}}`,
		`{"data":{"resultType":"matrix","result":[{"values":[[null,null]]}]}}`,
		`[]`, `null`, ``, `{"data":{"resultType":"matrix","result":[{"values":[[-1e11,"-0"]]}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ss, err := decodeStats(b)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\x1b\n\r") {
				t.Fatalf("error not sanitized: %q", err)
			}
			return
		}
		for _, s := range ss {
			if s.Labels == nil {
				t.Fatal("nil labels")
			}
			for i := 1; i < len(s.Samples); i++ {
				if s.Samples[i].Time.Before(s.Samples[i-1].Time) {
					t.Fatal("samples out of order")
				}
			}
		}
	})
}
