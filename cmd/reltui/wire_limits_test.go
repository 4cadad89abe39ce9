package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
)

// A real Prometheus cannot be made to answer 2 MiB for one instant query
// on demand; the fake streams a valid-looking but oversized vector.
func TestConfiguredResponseLimitReachesClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[`))
		row := []byte(`{"metric":{"__name__":"up","pad":"` + strings.Repeat("x", 1000) + `"},"value":[1,"1"]},`)
		for written := 0; written < 2<<20; written += len(row) {
			if _, err := w.Write(row); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`{"metric":{},"value":[1,"1"]}]}}`))
	}))
	defer srv.Close()

	query := func(limitMiB int) error {
		bs, err := buildBackends(&config.Context{Prometheus: &config.Backend{URL: srv.URL, MaxResponseMiB: limitMiB}}, config.OSEnv())
		if err != nil {
			t.Fatal(err)
		}
		defer bs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _, err = bs.prom.Query(ctx, "up", time.Unix(1, 0))
		return err
	}
	err := query(1)
	if err == nil || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("with max_response_mib 1: %v, want an error naming the 1 MiB limit", err)
	}
	if err := query(8); err != nil {
		t.Fatalf("with max_response_mib 8 the same answer should pass: %v", err)
	}
}
