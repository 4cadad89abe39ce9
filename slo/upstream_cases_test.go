package slo

import "time"

// The expectations below were written by reading each upstream file; the
// queries are the file's own, in the template form reltui keeps them in.

const (
	slothMyserviceErr   = `sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))`
	slothMyserviceTotal = `sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))`
	slothWifiTotal      = `sum_over_time((count(unifipoller_client_satisfaction_ratio))[{{.window}}:])`
)

func slothMyservice(name string, objective float64) wantSLO {
	return wantSLO{name: name, objective: objective, window: 30 * Day, bad: slothMyserviceErr, total: slothMyserviceTotal}
}

func slothWifi() []wantSLO {
	return []wantSLO{
		{name: "good-wifi-client-satisfaction", objective: 0.95, window: 30 * Day,
			bad:   `sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.75))[{{.window}}:]) OR on() vector(0)`,
			total: slothWifiTotal},
		{name: "risk-wifi-client-satisfaction", objective: 0.999, window: 30 * Day,
			bad:   `sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.5))[{{.window}}:]) OR on() vector(0)`,
			total: slothWifiTotal},
	}
}

// Pyrra's rules divide increases of the manifest's selectors; reltui keeps
// the same ratio as rates.
func pyrraRatio(name string, objective float64, days int, errors, total string) wantSLO {
	return wantSLO{name: name, objective: objective, window: Day * time.Duration(days),
		bad: "sum(rate(" + errors + "[{{.window}}])) or vector(0)", total: "sum(rate(" + total + "[{{.window}}]))"}
}

func pyrraLatency(name string, objective float64, days int, success, total string) wantSLO {
	return wantSLO{name: name, objective: objective, window: Day * time.Duration(days),
		good: "sum(rate(" + success + "[{{.window}}]))", total: "sum(rate(" + total + "[{{.window}}]))"}
}

func pyrraKubernetesSLOs(dir string) []upstreamCase {
	p := "pyrra/examples/" + dir + "/slos/slo-"
	apiLatency := func(name, scope, le string) wantSLO {
		return pyrraLatency(name, 0.99, 14,
			`apiserver_request_sli_duration_seconds_bucket{component="apiserver",scope=~"`+scope+`|",verb=~"LIST|GET",le="`+le+`"}`,
			`apiserver_request_sli_duration_seconds_count{component="apiserver",scope=~"`+scope+`|",verb=~"LIST|GET"}`)
	}
	return []upstreamCase{
		{path: p + "apiserver-read-cluster-latency.yaml", slos: []wantSLO{apiLatency("apiserver-read-cluster-latency", "cluster", "5.0")}},
		{path: p + "apiserver-read-namespace-latency.yaml", slos: []wantSLO{apiLatency("apiserver-read-namespace-latency", "namespace", "5.0")}},
		{path: p + "apiserver-read-resource-latency.yaml", slos: []wantSLO{pyrraLatency("apiserver-read-resource-latency", 0.99, 14,
			`apiserver_request_sli_duration_seconds_bucket{verb=~"LIST|GET",le="0.1"}`, `apiserver_request_sli_duration_seconds_count{verb=~"LIST|GET"}`)}},
		{path: p + "apiserver-read-response-errors.yaml", slos: []wantSLO{pyrraRatio("apiserver-read-response-errors", 0.99, 14,
			`apiserver_request_total{component="apiserver",verb=~"LIST|GET",code=~"5.."}`, `apiserver_request_total{component="apiserver",verb=~"LIST|GET"}`)}},
		{path: p + "apiserver-write-response-errors.yaml", slos: []wantSLO{pyrraRatio("apiserver-write-response-errors", 0.99, 14,
			`apiserver_request_total{component="apiserver",verb=~"POST|PUT|PATCH|DELETE",code=~"5.."}`, `apiserver_request_total{component="apiserver",verb=~"POST|PUT|PATCH|DELETE"}`)}},
		{path: p + "coredns-response-errors.yaml", slos: []wantSLO{pyrraRatio("coredns-response-errors", 0.9999, 14,
			`coredns_dns_responses_total{job="kube-dns",rcode="SERVFAIL"}`, `coredns_dns_responses_total{job="kube-dns"}`)}},
		{path: p + "kubelet-request-errors.yaml", slos: []wantSLO{pyrraRatio("kubelet-request-errors", 0.99, 14,
			`rest_client_requests_total{job="kubelet",code=~"5.."}`, `rest_client_requests_total{job="kubelet"}`)}},
		{path: p + "kubelet-runtime-errors.yaml", slos: []wantSLO{pyrraRatio("kubelet-runtime-errors", 0.99, 14,
			`kubelet_runtime_operations_errors_total{job="kubelet"}`, `kubelet_runtime_operations_total{job="kubelet"}`)}},
		{path: p + "prometheus-notification-errors.yaml", slos: []wantSLO{pyrraRatio("prometheus-notification-errors", 0.99, 14,
			`prometheus_notifications_errors_total{job="prometheus-k8s"}`, `prometheus_notifications_sent_total{job="prometheus-k8s"}`)}},
		{path: p + "prometheus-operator-http-errors.yaml", slos: []wantSLO{pyrraRatio("prometheus-operator-http-errors", 0.995, 14,
			`prometheus_operator_kubernetes_client_http_requests_total{job="prometheus-operator",status_code=~"5.."}`,
			`prometheus_operator_kubernetes_client_http_requests_total{job="prometheus-operator"}`)}},
		{path: p + "prometheus-operator-reconcile-errors.yaml", slos: []wantSLO{pyrraRatio("prometheus-operator-reconcile-errors", 0.95, 14,
			`prometheus_operator_reconcile_errors_total{job="prometheus-operator"}`, `prometheus_operator_reconcile_operations_total{job="prometheus-operator"}`)}},
		{path: p + "prometheus-query-errors.yaml", slos: []wantSLO{pyrraRatio("prometheus-query-errors", 0.99, 14,
			`prometheus_http_requests_total{job="prometheus-k8s",handler=~"/api/v1/query.*",code=~"5.."}`,
			`prometheus_http_requests_total{job="prometheus-k8s",handler=~"/api/v1/query.*"}`)}},
		{path: p + "prometheus-rule-evaluation-failures.yaml", slos: []wantSLO{pyrraRatio("prometheus-rule-evaluation-failures", 0.9999, 14,
			`prometheus_rule_evaluation_failures_total{job="prometheus-k8s"}`, `prometheus_rule_evaluations_total{job="prometheus-k8s"}`)}},
		{path: p + "prometheus-sd-kubernetes-errors.yaml", slos: []wantSLO{pyrraRatio("prometheus-sd-kubernetes-errors", 0.99, 14,
			`prometheus_sd_kubernetes_http_request_total{job="prometheus-k8s",status_code=~"5..|<error>"}`,
			`prometheus_sd_kubernetes_http_request_total{job="prometheus-k8s"}`)}},
	}
}

func upstreamCases() []upstreamCase {
	notProm := func(src string) []string {
		return []string{`data source "` + src + `" is not Prometheus-compatible`}
	}
	cases := []upstreamCase{
		// Sloth: prometheus/v1.
		{path: "sloth/examples/getting-started.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999)}},
		{path: "sloth/examples/multifile.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999), slothMyservice("requests-availability", 0.9999)}},
		{path: "sloth/examples/home-wifi.yml", slos: slothWifi()},
		{path: "sloth/examples/raw-home-wifi.yml", slos: []wantSLO{{name: "wifi-client-satisfaction", objective: 0.95, window: 30 * Day,
			raw: "1 - (\n  sum(sum_over_time(unifipoller_client_satisfaction_ratio[{{.window}}]))\n  /\n  sum(count_over_time(unifipoller_client_satisfaction_ratio[{{.window}}]))\n)"}}},
		{path: "sloth/examples/kubernetes-apiserver.yml", slos: []wantSLO{
			{name: "requests-availability", objective: 0.999, window: 30 * Day,
				bad: `sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))`, total: `sum(rate(apiserver_request_total[{{.window}}]))`},
			{name: "requests-latency", objective: 0.99, window: 30 * Day,
				bad:   "(\n  sum(rate(apiserver_request_duration_seconds_count{verb!=\"WATCH\"}[{{.window}}]))\n  -\n  sum(rate(apiserver_request_duration_seconds_bucket{le=\"0.4\",verb!=\"WATCH\"}[{{.window}}]))\n)",
				total: `sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))`},
		}},
		{path: "sloth/examples/no-alerts.yml", slos: []wantSLO{{name: "http-availability", objective: 0.9999, window: 30 * Day,
			bad:   "sum(\n  rate(http_request_duration_seconds_count{job=\"myapp\", code=~\"(5..|429)\"}[{{.window}}])\n)",
			total: "sum(\n  rate(http_request_duration_seconds_count{job=\"myapp\"}[{{.window}}])\n)"}}},
		// SLO plugins only change the rules Sloth writes; the SLI stands.
		{path: "sloth/examples/slo-plugin-getting-started.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999)}},
		{path: "sloth/examples/contrib-slo-plugins.yml", slos: []wantSLO{
			slothMyservice("requests-availability-contrib-plugin-info-labels-v1", 0.999),
			slothMyservice("requests-availability-contrib-plugin-rule-intervals-v1", 0.999)}},
		{path: "sloth/examples/plugin-getting-started.yml", reject: []string{
			"slos[0].sli.plugin", `SLI plugin "getting_started_availability"`, "cannot run Sloth plugins"}},
		// MetricsQL, which only VictoriaMetrics evaluates.
		{path: "sloth/examples/victoria-metrics.yml", reject: []string{
			"slos[0].sli.events.error_query", `unknown function with name "histogram_share" (PromQL has no such function; MetricsQL and other dialects are not read)`, "slos[1].sli.events.total_query"}},
		// Sloth: Kubernetes PrometheusServiceLevel.
		{path: "sloth/examples/k8s-getting-started.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999)}},
		{path: "sloth/examples/k8s-multifile.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999), slothMyservice("requests-availability", 0.9999)}},
		{path: "sloth/examples/k8s-home-wifi.yml", slos: slothWifi()},
		{path: "sloth/examples/slo-plugin-k8s-getting-started.yml", slos: []wantSLO{slothMyservice("requests-availability", 0.999)}},
		{path: "sloth/examples/contrib-denominator-corrected.yaml", slos: []wantSLO{slothMyservice("slo1", 0.999)}},
		{path: "sloth/examples/plugin-k8s-getting-started.yml", reject: []string{
			"spec.slos[0].sli.plugin", `SLI plugin "getting_started_availability"`}},
		// Sloth's alert-window definitions are not SLOs.
		{path: "sloth/examples/windows/7d.yaml", reject: []string{"kind: AlertWindows sets the alert windows"}},
		{path: "sloth/examples/windows/custom-30d.yaml", reject: []string{"kind: AlertWindows sets the alert windows"}},
		// Sloth: OpenSLO v1alpha, named as Sloth names them.
		{path: "sloth/examples/openslo-getting-started.yml", slos: []wantSLO{{name: "sloth-slo-my-service-0", objective: 0.999, window: 30 * Day,
			good:  `sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{{.window}}]))`,
			total: slothMyserviceTotal}}},
		{path: "sloth/examples/openslo-kubernetes-apiserver.yml", slos: []wantSLO{
			{name: "requests-availability-openslo-0", objective: 0.999, window: 30 * Day,
				good: `sum(rate(apiserver_request_total{code!~"(5..|429)"}[{{.window}}]))`, total: `sum(rate(apiserver_request_total[{{.window}}]))`},
			{name: "requests-latency-openslo-0", objective: 0.99, window: 30 * Day,
				good:  `sum(rate(apiserver_request_duration_seconds_bucket{le="0.4",verb!="WATCH"}[{{.window}}]))`,
				total: `sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))`},
			{name: "requests-latency-openslo-1", objective: 0.999, window: 30 * Day,
				good:  `sum(rate(apiserver_request_duration_seconds_bucket{le="5",verb!="WATCH"}[{{.window}}]))`,
				total: `sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))`},
		}},

		// Pyrra.
		{path: "pyrra/examples/caddy-response-latency.yaml", slos: []wantSLO{pyrraLatency("caddy-response-latency", 0.9, 28,
			`caddy_http_response_duration_seconds_bucket{job="caddy",handler="subroute",code!~"5..",le="0.05"}`,
			`caddy_http_response_duration_seconds_count{job="caddy",handler="subroute",code!~"5.."}`)}},
		{path: "pyrra/examples/nginx.yaml", slos: []wantSLO{
			pyrraRatio("nginx-api-errors", 0.999, 28,
				`nginx_ingress_controller_requests{namespace="lastfm",ingress="lastfm",service="lastfm",status=~"5.."}`,
				`nginx_ingress_controller_requests{namespace="lastfm",ingress="lastfm",service="lastfm"}`),
			pyrraLatency("nginx-api-latency", 0.9, 28,
				`nginx_ingress_controller_request_duration_seconds_bucket{namespace="lastfm",ingress="lastfm",service="lastfm",status=~"5..",le="1"}`,
				`nginx_ingress_controller_request_duration_seconds_count{namespace="lastfm",ingress="lastfm",service="lastfm"}`)}},
		{path: "pyrra/examples/parca-grpc-queryrange-errors.yaml", slos: []wantSLO{pyrraRatio("parca-grpc-queryrange-errors", 0.99, 14,
			`grpc_server_handled_total{grpc_service="parca.query.v1alpha1.QueryService",grpc_method="QueryRange",grpc_code=~"Aborted|Unavailable|Internal|Unknown|Unimplemented|DataLoss"}`,
			`grpc_server_handled_total{grpc_service="parca.query.v1alpha1.QueryService",grpc_method="QueryRange"}`)}},
		{path: "pyrra/examples/prometheus-http.yaml", slos: []wantSLO{pyrraRatio("prometheus-api-query", 0.99, 7,
			`prometheus_http_requests_total{handler=~"/api.*",code=~"5.."}`, `prometheus_http_requests_total{handler=~"/api.*"}`)}},
		{path: "pyrra/examples/docker-compose/pyrra/prometheus-http.yaml", slos: []wantSLO{pyrraRatio("prometheus-api-query", 0.99, 7,
			`prometheus_http_requests_total{handler="/api/v1/query",code=~"5.."}`, `prometheus_http_requests_total{handler="/api/v1/query"}`)}},
		{path: "pyrra/examples/prometheus-operator.yaml", slos: []wantSLO{pyrraRatio("prometheus-operator-http", 0.95, 7,
			`prometheus_operator_kubernetes_client_http_requests_total{status_code=~"5.."}`, `prometheus_operator_kubernetes_client_http_requests_total`)}},
		{path: "pyrra/examples/prometheus-probe-success.yaml", slos: []wantSLO{{name: "prometheus-blackbox-probe-success", objective: 0.99, window: 7 * Day,
			good: "sum(sum_over_time(probe_success[{{.window}}]))", total: "sum(count_over_time(probe_success[{{.window}}]))"}}},
		{path: "pyrra/examples/pyrra-connect-errors.yaml", slos: []wantSLO{pyrraRatio("pyrra-connect-errors", 0.99, 14,
			`connect_server_requests_total{job="pyrra",code=~"aborted|unavailable|internal|unknown|unimplemented|dataloss"}`,
			`connect_server_requests_total{job="pyrra"}`)}},
		{path: "pyrra/examples/pyrra-connect-latency.yaml", slos: []wantSLO{{name: "pyrra-connect-latency", objective: 0.99, window: 14 * Day,
			good: `histogram_fraction(0, 0.2, sum(rate(connect_server_requests_duration_seconds{job="pyrra",code="ok"}[{{.window}}]))) * ` +
				`histogram_count(sum(rate(connect_server_requests_duration_seconds{job="pyrra",code="ok"}[{{.window}}])))`,
			total: `histogram_count(sum(rate(connect_server_requests_duration_seconds{job="pyrra",code="ok"}[{{.window}}])))`}}},
		{path: "pyrra/examples/pyrra-filesystem-errors.yaml", slos: []wantSLO{pyrraRatio("pyrra-filesystem-errors", 0.99, 7,
			`pyrra_filesystem_reconciles_errors_total`, `pyrra_filesystem_reconciles_total`)}},
		{path: "pyrra/examples/pyrra-kubernetes-errors.yaml", slos: []wantSLO{pyrraRatio("pyrra-kubernetes-errors", 0.99, 7,
			`controller_runtime_reconcile_total{controller="servicelevelobjective",result="error"}`,
			`controller_runtime_reconcile_total{controller="servicelevelobjective"}`)}},
		{path: "pyrra/examples/thanos-grpc.yaml", slos: []wantSLO{pyrraRatio("thanos-store", 0.995, 7,
			`grpc_server_handled_total{grpc_service="thanos.Store",grpc_method="Series",namespace="monitoring",job="thanos-store",grpc_code=~"Aborted|Unavailable|Internal|Unknown|Unimplemented|DataLoss"}`,
			`grpc_server_handled_total{grpc_service="thanos.Store",grpc_method="Series",namespace="monitoring",job="thanos-store"}`)}},
		{path: "pyrra/examples/thanos-http.yaml", slos: []wantSLO{pyrraRatio("thanos-query", 0.99, 28,
			`http_requests_total{job="thanos-query",handler=~"query|query_range",code=~"5.."}`, `http_requests_total{job="thanos-query",handler=~"query|query_range"}`)}},
		{path: "pyrra/examples/mimir/example-slo.yaml", slos: []wantSLO{pyrraLatency("apiserver-read-cluster-latency", 0.99, 14,
			`apiserver_request_sli_duration_seconds_bucket{component="apiserver",scope=~"cluster|",verb=~"LIST|GET",le="5"}`,
			`apiserver_request_sli_duration_seconds_count{component="apiserver",scope=~"cluster|",verb=~"LIST|GET"}`)}},

		// OpenSLO: every example names its source "Any", which reltui
		// cannot query, whatever the SLI kind and budgeting method.
		{path: "openslo/examples/budgeting-method/occurences-slo.yaml", reject: append(notProm("Any"), "thresholdMetric.metricSource.type")},
		{path: "openslo/examples/budgeting-method/ratio-timeslices.yaml", reject: append(notProm("Any"), "ratioMetric.good.metricSource.type", "ratioMetric.total.metricSource.type")},
		{path: "openslo/examples/budgeting-method/timeslices-slo.yaml", reject: append(notProm("Any"),
			// "1m" is one minute in OpenSLO's shorthand (a month is 1M).
			"spec.timeWindow[0].duration: window must be a whole number of days from 1d to 366d, got 1m")},
		{path: "openslo/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml", reject: notProm("Any")},
		// The specification's README: the SLO schema itself (placeholders,
		// not values) and the inline-SLI example, which queries Datadog.
		{path: "openslo/README.md#yaml-4", reject: []string{
			`spec.budgetingMethod: must be Occurrences, Timeslices or RatioTimeslices, got "Occurrences | Timeslices | RatioTimeslices"`}},
		{path: "openslo/README.md#yaml-8", reject: append(notProm("Datadog"), "spec.indicator.spec.ratioMetric.good.metricSource.type")},
	}
	for _, dir := range []string{"kubernetes/manifests", "kubernetes/manifests-webhook", "openshift/manifests"} {
		cases = append(cases, pyrraKubernetesSLOs(dir)...)
	}
	return cases
}
