package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeChangesProm answers range queries: deploy_generation for payments
// goes from 1 to 2 at change, and any other expression fails.
func fakeChangesProm(t *testing.T, change time.Time) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.URL.Path != "/api/v1/query_range" || r.Form.Get("query") != "deploy_generation" {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"status":"error","errorType":"unavailable","error":"backend down"}`)
			return
		}
		start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
		end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
		step, err := time.ParseDuration(r.Form.Get("step"))
		if err != nil {
			s, _ := strconv.ParseFloat(r.Form.Get("step"), 64)
			step = time.Duration(s * float64(time.Second))
		}
		var vals []string
		for ts := start; ts <= end; ts += step.Seconds() {
			v := "1"
			if ts >= float64(change.Unix()) {
				v = "2"
			}
			vals = append(vals, fmt.Sprintf("[%.3f,%q]", ts, v))
		}
		fmt.Fprintf(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"deploy_generation","service":"payments"},"values":[%s]}]}}`, strings.Join(vals, ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestIncidentShowListsChangesInWindow(t *testing.T) {
	isolate(t)
	started := time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Minute)
	change := started.Add(-10 * time.Minute)
	prom := fakeChangesProm(t, change)
	p := writeConfig(t, "contexts:\n  dev:\n    prometheus: {url: "+prom.URL+"}\n    changes:\n      - name: deploys\n        kind: deploy\n        promql: deploy_generation\n"+
		"      - name: flags\n        kind: config\n        promql: flag_generation\n")
	cli(t, 0, "--config", p, "incident", "declare", "--title", "Payments 5xx", "--severity", "sev2", "--service", "payments", "--started", at(started))

	text, _ := cli(t, 0, "--config", p, "incident", "show", "1")
	sec := text[strings.Index(text, "\nchanges in window"):]
	if !strings.Contains(sec, "changes in window ("+at(started.Add(-time.Hour))) {
		t.Errorf("no changes section with the window:\n%s", text)
	}
	if !strings.Contains(sec, "deploy payments: ") || !strings.Contains(sec, "1 → 2") {
		t.Errorf("the deploy is not listed:\n%s", sec)
	}
	if !strings.Contains(sec, "✗ changes flags: ") {
		t.Errorf("the failing source is not said:\n%s", sec)
	}

	out, _ := cli(t, 0, "--config", p, "incident", "show", "1", "-o", "json")
	var doc struct {
		ID      int64 `json:"id"`
		Changes []struct {
			Time    time.Time `json:"time"`
			Service string    `json:"service"`
			Kind    string    `json:"kind"`
			What    string    `json:"what"`
		} `json:"changes"`
		ChangesError string `json:"changes_error"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.Changes) != 1 || doc.Changes[0].Service != "payments" || doc.Changes[0].Kind != "deploy" {
		t.Fatalf("changes %+v, want the payments deploy", doc.Changes)
	}
	// The change is known to one step of the window.
	if d := doc.Changes[0].Time.Sub(change); d < -5*time.Minute || d > 5*time.Minute {
		t.Errorf("change at %s, want near %s", doc.Changes[0].Time, change)
	}
	if !strings.Contains(doc.ChangesError, "flags") {
		t.Errorf("changes_error %q does not name the failing source", doc.ChangesError)
	}
}

func TestIncidentShowWithoutChangeSources(t *testing.T) {
	isolate(t)
	cli(t, 0, "incident", "declare", "--title", "Payments 5xx", "--severity", "sev2", "--service", "payments", "--started", at(time.Now().Add(-time.Hour)))
	text, _ := cli(t, 0, "incident", "show", "1")
	if strings.Contains(text, "changes in window") {
		t.Errorf("a changes section with no change source configured:\n%s", text)
	}
	out, _ := cli(t, 0, "incident", "show", "1", "-o", "json")
	if !strings.Contains(out, `"changes": []`) {
		t.Errorf("json lacks an empty changes array:\n%s", out)
	}
}
