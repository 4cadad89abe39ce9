//go:build integration

package alertmanager_test

// Against the dev stack's real Alertmanager (make stack-up). The test posts
// its own alerts, labelled with a unique test_run, and resolves them when
// done so the demo's alert list is left as it was.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/resilience"
)

type postable struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations,omitempty"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
}

// send makes one raw call to Alertmanager's API, outside the client under
// test, to set up state.
func send(t *testing.T, method, url string, in, out any) {
	t.Helper()
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		t.Fatalf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, b.String())
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

func byName(as []sources.Alert) map[string]sources.Alert {
	m := map[string]sources.Alert{}
	for _, a := range as {
		m[a.Name] = a
	}
	return m
}

// waitFor polls Alerts until ok accepts the answer; Alertmanager routes
// posted alerts asynchronously, so their state settles a moment later.
func waitFor(t *testing.T, ctx context.Context, c *alertmanager.Client, filter []string, ok func([]sources.Alert) bool, opts ...alertmanager.Option) []sources.Alert {
	t.Helper()
	var got []sources.Alert
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		var err error
		got, err = c.Alerts(ctx, filter, opts...)
		if err != nil {
			t.Fatalf("alerts %v: %v", filter, err)
		}
		if ok(got) {
			return got
		}
	}
	t.Fatalf("alerts %v never reached the expected state; last answer %+v", filter, got)
	return nil
}

func TestAlerts(t *testing.T) {
	st := stacktest.Require(t)
	if st.AlertURL == "" {
		t.Fatal("the dev stack has no Alertmanager (RELTUI_ALERTMANAGER_URL is empty)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := alertmanager.New(alertmanager.Config{Address: st.AlertURL})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}

	b := make([]byte, 6)
	_, _ = rand.Read(b)
	run := hex.EncodeToString(b)
	start := time.Now().Add(-time.Minute).Truncate(time.Millisecond).UTC()
	alerts := []postable{
		{Labels: map[string]string{"alertname": "ReltuiIntegration", "test_run": run, "severity": "info"},
			Annotations: map[string]string{"summary": "posted by run " + run}, StartsAt: start, EndsAt: start.Add(15 * time.Minute)},
		{Labels: map[string]string{"alertname": "ReltuiIntegrationOther", "test_run": run, "severity": "info"},
			StartsAt: start, EndsAt: start.Add(15 * time.Minute)},
	}
	send(t, http.MethodPost, st.AlertURL+"/api/v2/alerts", alerts, nil)
	t.Cleanup(func() {
		now := time.Now()
		for i := range alerts {
			alerts[i].EndsAt = now
		}
		send(t, http.MethodPost, st.AlertURL+"/api/v2/alerts", alerts, nil)
	})
	mine := []string{`test_run="` + run + `"`}

	both := waitFor(t, ctx, c, mine, func(as []sources.Alert) bool {
		return len(as) == 2 && as[0].State == "active" && as[1].State == "active"
	})
	for _, a := range both {
		if a.Source != "alertmanager" || a.Labels["test_run"] != run {
			t.Errorf("alert %+v", a)
		}
	}

	t.Run("two matchers", func(t *testing.T) {
		got, err := c.Alerts(ctx, append(mine, `alertname="ReltuiIntegration"`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %+v, want one alert", got)
		}
		a := got[0]
		fp := model.LabelSet{"alertname": "ReltuiIntegration", "test_run": model.LabelValue(run), "severity": "info"}.Fingerprint().String()
		if a.Name != "ReltuiIntegration" || a.State != "active" || a.Fingerprint != fp ||
			!a.ActiveAt.Equal(start) || a.Annotations["summary"] != "posted by run "+run || a.Labels["severity"] != "info" {
			t.Errorf("alert = %+v, want fingerprint %s and activeAt %v", a, fp, start)
		}
	})

	t.Run("regex matcher", func(t *testing.T) {
		got, err := c.Alerts(ctx, append(mine, `alertname=~"ReltuiIntegration.+"`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Name != "ReltuiIntegrationOther" {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("active false", func(t *testing.T) {
		got, err := c.Alerts(ctx, mine, alertmanager.Active(false))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("active=false still returned %+v", got)
		}
	})

	t.Run("silenced", func(t *testing.T) {
		silence := map[string]any{
			"matchers": []map[string]any{
				{"name": "alertname", "value": "ReltuiIntegration", "isRegex": false, "isEqual": true},
				{"name": "test_run", "value": run, "isRegex": false, "isEqual": true},
			},
			"startsAt": time.Now().UTC(), "endsAt": time.Now().Add(10 * time.Minute).UTC(),
			"createdBy": "reltui integration test", "comment": "run " + run,
		}
		var created struct {
			SilenceID string `json:"silenceID"`
		}
		send(t, http.MethodPost, st.AlertURL+"/api/v2/silences", silence, &created)
		t.Cleanup(func() { send(t, http.MethodDelete, st.AlertURL+"/api/v2/silence/"+created.SilenceID, nil, nil) })

		waitFor(t, ctx, c, mine, func(as []sources.Alert) bool {
			return byName(as)["ReltuiIntegration"].State == "suppressed"
		})
		got, err := c.Alerts(ctx, mine, alertmanager.Silenced(false))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range got {
			names = append(names, a.Name)
		}
		sort.Strings(names)
		if len(names) != 1 || names[0] != "ReltuiIntegrationOther" {
			t.Errorf("silenced=false returned %v, want only ReltuiIntegrationOther", names)
		}
	})

	t.Run("bad filter", func(t *testing.T) {
		_, err := c.Alerts(ctx, []string{"not a matcher"})
		var se *sources.Error
		if !errors.As(err, &se) || se.Kind != sources.KindBadQuery || se.Status != 400 || !strings.Contains(se.Msg, "bad matcher format") {
			t.Errorf("err = %#v", err)
		}
		if c.Health().Breaker != "closed" {
			t.Errorf("a bad filter moved the breaker: %+v", c.Health())
		}
	})
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for name, call := range map[string]func(*alertmanager.Client) error{
		"alerts": func(c *alertmanager.Client) error { _, err := c.Alerts(ctx, nil); return err },
		"ping":   func(c *alertmanager.Client) error { return c.Ping(ctx) },
	} {
		c, err := alertmanager.New(alertmanager.Config{Address: addr,
			Guard: resilience.New("alertmanager", resilience.Policy{BaseBackoff: time.Millisecond})})
		if err != nil {
			t.Fatal(err)
		}
		if err := call(c); sources.KindOf(err) != sources.KindUnreachable {
			t.Errorf("%s: %v, want unreachable", name, err)
		}
	}
}
