package alertmanager

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// v2Body is shaped like Alertmanager 0.25's GET /api/v2/alerts answer.
const v2Body = `[
 {"annotations":{"summary":"lag \u001b[31mhigh\u001b[0m"},
  "endsAt":"2026-11-22T06:00:00.000Z",
  "fingerprint":"3c0c7b4a0a6c9f1d",
  "receivers":[{"name":"devnull"}],
  "startsAt":"2026-11-22T05:40:01.123Z",
  "status":{"inhibitedBy":[],"silencedBy":["8d1c"],"state":"suppressed"},
  "updatedAt":"2026-11-22T05:41:00.000Z",
  "generatorURL":"http://prom/graph",
  "labels":{"alertname":"ConsumerLagHigh","consumergroup":"orders","severity":"warning"}},
 {"labels":{"alertname":"NoFingerprint","job":"x"},"startsAt":"2026-11-22T05:00:00Z","status":{"state":"active"}}
]`

func TestDecodeAlerts(t *testing.T) {
	got, err := decodeAlerts([]byte(v2Body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d alerts", len(got))
	}
	a := got[0]
	want := time.Date(2026, 11, 22, 5, 40, 1, 123e6, time.UTC)
	if a.Name != "ConsumerLagHigh" || a.State != "suppressed" || a.Fingerprint != "3c0c7b4a0a6c9f1d" ||
		a.Source != "alertmanager" || !a.ActiveAt.Equal(want) || a.Labels["consumergroup"] != "orders" {
		t.Errorf("alert = %+v", a)
	}
	if a.Annotations["summary"] != "lag high" {
		t.Errorf("escape sequences kept: %q", a.Annotations["summary"])
	}
	b := got[1]
	if fp := (model.LabelSet{"alertname": "NoFingerprint", "job": "x"}).Fingerprint().String(); b.Fingerprint != fp {
		t.Errorf("computed fingerprint %q, want %q", b.Fingerprint, fp)
	}
	if b.Annotations == nil || b.State != "active" {
		t.Errorf("second alert = %+v", b)
	}

	if got, err := decodeAlerts([]byte("[]")); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v %v", got, err)
	}
}

func TestErrorText(t *testing.T) {
	for body, want := range map[string]string{
		`"bad matcher format: foo"`:        "bad matcher format: foo",
		`{"code":602,"message":"invalid"}`: "invalid",
		`{"error":"nope"}`:                 "nope",
		"plain text\n":                     "plain text\n",
	} {
		if got := errorText([]byte(body)); got != want {
			t.Errorf("errorText(%q) = %q, want %q", body, got, want)
		}
	}
}

// FuzzDecodeAlerts: no body may panic the decoder, and what it keeps must
// be terminal-safe and carry a fingerprint the UI can key on.
func FuzzDecodeAlerts(f *testing.F) {
	f.Add([]byte(v2Body))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[null,{}]`))
	f.Add([]byte(`[{"labels":{"alertname":"\u009b31m\u202e"},"startsAt":"0001-01-01T00:00:00Z","fingerprint":"\u001b]0;x\u0007"}]`))
	f.Add([]byte(`[{"labels":{"a":1}}]`))
	f.Add([]byte(`{"message":"x"}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, body []byte) {
		alerts, err := decodeAlerts(body)
		if err != nil {
			return
		}
		for _, a := range alerts {
			checkAlert(t, a)
		}
	})
}

func checkAlert(t *testing.T, a sources.Alert) {
	t.Helper()
	if a.Source != "alertmanager" || a.Fingerprint == "" || a.Labels == nil || a.Annotations == nil {
		t.Fatalf("alert %+v", a)
	}
	for _, s := range []string{a.Name, a.State, a.Fingerprint} {
		safe(t, s)
	}
	for _, m := range []map[string]string{a.Labels, a.Annotations} {
		for k, v := range m {
			safe(t, k)
			safe(t, v)
		}
	}
}

func safe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || sanitize.Line(s) != s {
		t.Fatalf("unsafe text kept: %q", s)
	}
}
