//go:build integration

package metrics

// OpenTelemetry's HTTP server duration as a native histogram. The dev
// stack's Prometheus runs without native histograms, and remote write as
// the tests speak it carries floats only, so this test starts its own
// Prometheus with the feature on and lets it scrape a service that
// exports the histogram natively (client_golang, as an OTel Prometheus
// exporter does).

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// nativeProm starts a private Prometheus with native histograms that
// scrapes target every second, and returns its URL.
func nativeProm(t *testing.T, target string) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatalf("no prometheus binary (scripts/stack/up.sh installs it): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	cfg := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: app\n    static_configs: [{targets: [%q]}]\n", target)
	if err := os.WriteFile(filepath.Join(dir, "p.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "p.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--enable-feature=native-histograms")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stacktest.Stop(cmd, 10*time.Second) })
	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(url + "/-/ready"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return url
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("private prometheus not ready in 30s")
	return ""
}

func TestOTelNativeHistogramGivesFourSignalsWithNoTemplate(t *testing.T) {
	const svc = "native-shop"
	reg := prometheus.NewRegistry()
	dur := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "http_server_request_duration_seconds", Help: "OTel HTTP server duration",
		NativeHistogramBucketFactor: 1.1, NativeHistogramMaxBucketNumber: 160,
	}, []string{"service_name", "http_response_status_code"})
	cpu := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "process_cpu_utilization", Help: "cpu"}, []string{"service_name"})
	reg.MustRegister(dur, cpu)
	cpu.WithLabelValues(svc).Set(0.37)
	app := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(app.Close)

	url := nativeProm(t, app.Listener.Addr().String())
	// 20 requests a second, one in ten failing; half take 30ms, the rest
	// 200ms.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(50 * time.Millisecond)
		defer tk.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tk.C:
			}
			code, v := "200", 0.03
			if i%2 == 1 {
				v = 0.2
			}
			if i%10 == 0 {
				code = "500"
			}
			dur.WithLabelValues(svc, code).Observe(v)
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
	// Past one rate window (the pane's is at least a minute), so rate()
	// reads the whole rate rather than a window that is partly empty.
	time.Sleep(75 * time.Second)

	c, err := prom.New(prom.Config{Address: url})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	m := stackPane(t, c, Config{From: now.Add(-2 * time.Minute), To: now}, 160, 40)
	if m.scheme.Name != config.SchemeOTelHTTPNative || m.label != "service_name" || m.service != svc {
		t.Fatalf("detected %q by %q for %q, want %s by service_name for %s", m.scheme.Name, m.label, m.service, config.SchemeOTelHTTPNative, svc)
	}
	want := map[string][2]float64{
		config.MetricsLatency:    {0.02, 0.04}, // p50: the 30ms half
		config.MetricsTraffic:    {15, 25},
		config.MetricsErrors:     {0.07, 0.13},
		config.MetricsSaturation: {0.36, 0.38},
	}
	checkLastValues(t, m, want)
}
