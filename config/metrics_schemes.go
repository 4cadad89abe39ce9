package config

import "strings"

// MetricsScheme is one common naming of the golden-signal series: the
// metric that shows it is in use, the labels that may name a service,
// and the templates that read it. The Metrics pane detects, per context,
// which scheme the backend has (unless metrics.scheme names one), and
// metrics.templates override the scheme's templates one by one.
type MetricsScheme struct {
	// Name is the key metrics.scheme takes.
	Name string
	// Title says what it is, for the pane.
	Title string
	// Probe is the series name whose presence shows the scheme.
	Probe string
	// Labels are the labels that may name a service on Probe, most
	// specific first; the first one with values is used.
	Labels []string
	// Templates are the scheme's golden-signal queries (see Metrics).
	Templates map[string]string
}

// The scheme names.
const (
	SchemePrometheusHTTP = "prometheus-http"
	SchemeOTelHTTP       = "otel-http"
	SchemeOTelHTTPNative = "otel-http-native"
	SchemeMicrometer     = "micrometer"
	SchemeIstio          = "istio"
	SchemeGRPC           = "grpc"
)

// utilization are 0..1 gauges that read as saturation, under the names
// the common instrumentations give them.
const utilization = `process_cpu_utilization|process_cpu_utilization_ratio|db_pool_in_use_ratio|process_cpu_usage|system_cpu_usage`

// saturationBy is the busiest utilization gauge of the service, selected
// by sel.
func saturationBy(sel string) string {
	return `max by (__name__) ({__name__=~"` + utilization + `", ` + sel + ` })`
}

// errorRatio is the failed share of a counter: (failed or 0) / all, so a
// service without failures reads 0 and not "no data". count wraps each
// selected series (e.g. in rate or histogram_count(rate(...))).
func errorRatio(count func(sel string) string, failed string) string {
	return `(sum(` + count(`{{selector}}, `+failed) + `) or vector(0)) / sum(` + count(`{{selector}}`) + `)`
}

// classicScheme builds a scheme over a counter of requests and a classic
// histogram of their durations in seconds.
func classicScheme(name, title, counter, hist, failed string, labels []string) MetricsScheme {
	rate := func(metric string) func(string) string {
		return func(sel string) string { return `rate(` + metric + `{ ` + sel + ` }[{{window}}])` }
	}
	return MetricsScheme{
		Name: name, Title: title, Probe: counter, Labels: labels,
		Templates: map[string]string{
			MetricsLatency:    `histogram_quantile({{quantile}}, sum by (le) (rate(` + hist + `_bucket{ {{selector}} }[{{window}}])))`,
			MetricsTraffic:    `sum(` + rate(counter)(`{{selector}}`) + `)`,
			MetricsErrors:     errorRatio(rate(counter), failed),
			MetricsSaturation: saturationBy(`{{selector}}`),
			MetricsExemplars:  hist + `_bucket{ {{selector}} }`,
		},
	}
}

// grpcServerErrors are the gRPC codes that mean the server failed (the
// others are the caller's doing, or success).
const grpcServerErrors = `grpc_code=~"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss"`

// MetricsSchemes are the namings the pane knows, in the order detection
// prefers them when a backend has several.
func MetricsSchemes() []MetricsScheme {
	serviceLabels := []string{"service", "service_name", "app", "job"}
	otelLabels := []string{"service_name", "service", "job"}
	const otelHist = "http_server_request_duration_seconds"
	native := func(sel string) string {
		return `histogram_count(rate(` + otelHist + `{ ` + sel + ` }[{{window}}]))`
	}
	const istioSel = `{{selector}}, reporter=~"destination|"`
	istioRate := func(sel string) string {
		return `rate(istio_requests_total{ ` + strings.Replace(sel, "{{selector}}", istioSel, 1) + ` }[{{window}}])`
	}
	return []MetricsScheme{
		{
			Name: SchemePrometheusHTTP, Title: "Prometheus HTTP (http_requests_total)",
			Probe: "http_requests_total", Labels: serviceLabels,
			Templates: DefaultMetricsTemplates(),
		},
		classicScheme(SchemeOTelHTTP, "OpenTelemetry HTTP server", otelHist+"_count", otelHist,
			`http_response_status_code=~"5.."`, otelLabels),
		{
			Name: SchemeOTelHTTPNative, Title: "OpenTelemetry HTTP server (native histogram)",
			Probe: otelHist, Labels: otelLabels,
			Templates: map[string]string{
				MetricsLatency:    `histogram_quantile({{quantile}}, sum(rate(` + otelHist + `{ {{selector}} }[{{window}}])))`,
				MetricsTraffic:    `sum(` + native(`{{selector}}`) + `)`,
				MetricsErrors:     errorRatio(native, `http_response_status_code=~"5.."`),
				MetricsSaturation: saturationBy(`{{selector}}`),
				MetricsExemplars:  otelHist + `{ {{selector}} }`,
			},
		},
		classicScheme(SchemeMicrometer, "Micrometer (Spring Boot)", "http_server_requests_seconds_count",
			"http_server_requests_seconds", `status=~"5.."`, []string{"application", "service", "app", "job"}),
		{
			Name: SchemeIstio, Title: "Istio/Envoy (istio_requests_total)",
			Probe: "istio_requests_total", Labels: []string{"destination_service_name", "destination_workload", "destination_app"},
			Templates: map[string]string{
				// Istio's durations are in milliseconds.
				MetricsLatency: `histogram_quantile({{quantile}}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{ ` + istioSel + ` }[{{window}}]))) / 1000`,
				MetricsTraffic: `sum(` + istioRate(`{{selector}}`) + `)`,
				MetricsErrors:  errorRatio(istioRate, `response_code=~"5.."`),
				// The mesh has no saturation of its own: the workload's,
				// by the Kubernetes app label the service is named after.
				MetricsSaturation: `max by (__name__) ({__name__=~"` + utilization + `", app="{{service}}" })`,
				// Exemplars are in milliseconds here; the latency chart is
				// in seconds, so none are drawn.
				MetricsExemplars: "",
			},
		},
		classicScheme(SchemeGRPC, "gRPC server (grpc_server_handled_total)", "grpc_server_handled_total",
			"grpc_server_handling_seconds", grpcServerErrors, serviceLabels),
	}
}

// MetricsSchemeByName returns the scheme called name.
func MetricsSchemeByName(name string) (MetricsScheme, bool) {
	for _, s := range MetricsSchemes() {
		if s.Name == name {
			return s, true
		}
	}
	return MetricsScheme{}, false
}

// MetricsSchemeNames lists the scheme names, for messages and completion.
func MetricsSchemeNames() []string {
	ss := MetricsSchemes()
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// TemplatesFor returns scheme's templates with the context's overrides.
// m may be nil.
func (m *Metrics) TemplatesFor(s MetricsScheme) map[string]string {
	t := make(map[string]string, len(s.Templates))
	for k, v := range s.Templates {
		t[k] = v
	}
	if m != nil {
		for k, v := range m.Templates {
			if strings.TrimSpace(v) != "" {
				t[k] = v
			}
		}
	}
	return t
}

// Overrides reports whether the context overrides any template, so the
// pane can say that it does.
func (m *Metrics) Overrides() []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, n := range MetricsTemplateNames() {
		if strings.TrimSpace(m.Templates[n]) != "" {
			out = append(out, n)
		}
	}
	return out
}
