#!/usr/bin/env bash
# Start the reltui dev stack: VictoriaLogs, Prometheus (+ Alertmanager),
# Jaeger v2 and the reltui-demo workload, all on free ports on 127.0.0.1,
# state in .devstack/.
#
#   bash scripts/stack/up.sh      # or: make stack-up
#   source .devstack/stack.env    # RELTUI_VLOGS_URL, RELTUI_PROM_URL, ...
#   bash scripts/stack/down.sh    # or: make stack-down  (--clean wipes data)
#
# Idempotent: if the stack is already up and healthy it only prints the
# endpoints. VictoriaLogs and Jaeger are built once from tools/backends and
# tools/jaeger into ${RELTUI_CACHE:-~/.cache/reltui}/bin and reused. Loki is
# never built (AGPL); a real one starts only if the machine has one.
#
# Environment:
#   RELTUI_CACHE              cache dir for built backend binaries
#   RELTUI_STACK_TIMEOUT      readiness deadline in seconds (default 120)
#   RELTUI_STACK_NO_APT=1     never run apt-get (fail if something is missing)
#   RELTUI_DEMO_SCHEDULE=false  the demo injects no scheduled faults (scripts/test.sh sets it)
#   LOKI_BIN, LOGCLI_BIN      a real loki / logcli (default: from PATH, if any;
#                             LOKI_BIN=none runs no Loki even if one is on PATH)
set -euo pipefail

# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT="${RELTUI_STACK_TIMEOUT:-120}"
PROMETHEUS_BIN=""
PROMTOOL_BIN=""
ALERTMANAGER_BIN=""
REAL_LOKI_BIN=""
LOGCLI=""
UP_STARTED=0
ENABLED_SERVICES=()

usage() {
	sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# ------------------------------------------------------------- packages

apt_install() {
	if [[ ${RELTUI_STACK_NO_APT:-} == 1 ]]; then
		err "missing: $*; RELTUI_STACK_NO_APT=1 forbids apt-get"
		return 1
	fi
	local sudo=()
	if [[ $(id -u) != 0 ]]; then
		command -v sudo >/dev/null 2>&1 || {
			err "need root or sudo to apt-get install $*"
			return 1
		}
		sudo=(sudo)
	fi
	if [[ -z ${_APT_UPDATED:-} ]]; then
		info "apt-get update"
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || return 1
		_APT_UPDATED=1
	fi
	info "apt-get install $*"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2
}

find_alertmanager() {
	local c
	for c in prometheus-alertmanager alertmanager; do
		if command -v "$c" >/dev/null 2>&1; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

ensure_packages() {
	local missing=()
	command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
	command -v tmux >/dev/null 2>&1 || missing+=(tmux)
	command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
	command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
	command -v pgrep >/dev/null 2>&1 || missing+=(procps)
	if ((${#missing[@]})); then
		apt_install "${missing[@]}" || die "could not install ${missing[*]}"
	fi
	if ! find_alertmanager >/dev/null; then
		apt_install prometheus-alertmanager ||
			warn "prometheus-alertmanager did not install; continuing without Alertmanager"
	fi
	PROMETHEUS_BIN=$(command -v prometheus) || die "prometheus not found after install"
	PROMTOOL_BIN=$(command -v promtool) || die "promtool not found after install"
	ALERTMANAGER_BIN=$(find_alertmanager) || ALERTMANAGER_BIN=""
	REAL_LOKI_BIN=$(find_real_loki) || REAL_LOKI_BIN=""
	LOGCLI=$(find_logcli) || LOGCLI=""
	if [[ -n ${LOKI_BIN:-} && ${LOKI_BIN:-} != none && -z $REAL_LOKI_BIN ]]; then
		warn "LOKI_BIN=$LOKI_BIN is not an executable; no real Loki will run"
	fi
}

# --------------------------------------------------------------- builds

# run_with_progress LABEL LOG STATS CMD...: run CMD in the background with
# output to LOG, printing a progress line every 15 s. If GNU time is there,
# STATS gets "elapsed_seconds max_rss_kb".
run_with_progress() {
	local label=$1 log=$2 stats=$3
	shift 3
	local timecmd=()
	if [[ -x /usr/bin/time ]]; then
		timecmd=(/usr/bin/time -o "$stats" -f '%e %M')
	fi
	local start=$SECONDS pid rc=0 next=15
	"${timecmd[@]}" "$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if ((SECONDS - start >= next)); then
			info "  ... still building $label: $((SECONDS - start))s elapsed (log: $log)"
			next=$((next + 15))
		fi
	done
	wait "$pid" || rc=$?
	return "$rc"
}

# build_go NAME MODDIR PKG OUT GOFLAGS LDFLAGS
build_go() {
	local name=$1 moddir=$2 pkg=$3 out=$4 goflags=$5 ldflags=$6
	local tmp="$out.tmp.$$" log stats start=$SECONDS trim=-trimpath
	# The repo's own binaries share the build cache with go test and
	# go build; -trimpath would give them different cache keys.
	[[ $moddir == "$STACK_REPO_ROOT" ]] && trim=""
	mkdir -p "$(dirname "$out")" "$STACK_LOGS"
	log="$STACK_LOGS/build-$name.log"
	stats="$STACK_LOGS/build-$name.stats"
	rm -f "$stats"
	info "building $name ($pkg) -> $out"
	if ! (cd "$moddir" && run_with_progress "$name" "$log" "$stats" \
		env GOFLAGS="$goflags" go build $trim -ldflags "$ldflags" -o "$tmp" "$pkg"); then
		rm -f "$tmp"
		tail -n 40 "$log" >&2 || true
		die "build of $name failed (full log: $log)"
	fi
	mv -f "$tmp" "$out"
	if [[ -s $stats ]]; then
		local secs rss
		read -r secs rss <"$stats" || true
		ok "built $name in ${secs}s (peak RSS $((rss / 1024)) MB)"
	else
		ok "built $name in $((SECONDS - start))s"
	fi
}

build_backends_locked() {
	local goflags="-buildvcs=false -mod=mod"
	# One at a time: Jaeger alone takes 2+ GB RSS and both cores.
	# CGO_ENABLED=0 is VictoriaLogs' "pure" build (Go zstd), so no C
	# compiler is needed.
	[[ -x $VLOGS_BIN ]] || CGO_ENABLED=0 build_go "victoria-logs-$VLOGS_VERSION" "$STACK_REPO_ROOT/tools/backends" \
		github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs "$VLOGS_BIN" "$goflags" \
		"-s -w -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-logs-$VLOGS_VERSION"
	[[ -x $JAEGER_BIN ]] || build_go "jaeger-$JAEGER_VERSION" "$STACK_REPO_ROOT/tools/jaeger" \
		github.com/jaegertracing/jaeger/cmd/jaeger "$JAEGER_BIN" "$goflags" \
		"-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$JAEGER_VERSION"
}

build_backends() {
	if [[ -x $VLOGS_BIN && -x $JAEGER_BIN ]]; then
		ok "cached backends: $VLOGS_BIN, $JAEGER_BIN"
		return 0
	fi
	info "building backend binaries once into $CACHE_BIN (takes a few minutes; later runs reuse them)"
	with_lock "$CACHE_BIN/.build.lock" 3600 build_backends_locked
}

build_reltui() {
	mkdir -p "$STACK_DIR/bin"
	local goflags="-buildvcs=false"
	# reltui itself is not part of the stack: make demo and the tests build
	# it. Building it here too would compile the log client packages a
	# second time on every start.
	if [[ -d $STACK_REPO_ROOT/cmd/reltui-demo ]]; then
		build_go reltui-demo "$STACK_REPO_ROOT" ./cmd/reltui-demo "$DEMO_BIN" "$goflags" ""
	else
		rm -f "$DEMO_BIN"
		loud_warn "cmd/reltui-demo does not exist yet:" \
			"no 30-day SLI backfill and no demo workload will be started."
	fi
}

# ---------------------------------------------------------------- ports

# The Loki ports are picked even when no real Loki runs, so the set (and
# port reuse across restarts) does not depend on the machine.
PORT_VARS=(VLOGS_PORT LOKI_HTTP_PORT LOKI_GRPC_PORT PROM_PORT AM_PORT
	JAEGER_QUERY_HTTP_PORT JAEGER_QUERY_GRPC_PORT OTLP_GRPC_PORT OTLP_HTTP_PORT
	JAEGER_HEALTH_PORT JAEGER_METRICS_PORT DEMO_CONTROL_PORT)

# choose_ports: reuse the ports of the previous run if they are all still
# free (so configs pointing at the stack keep working), else pick new ones.
choose_ports() {
	local f="$STACK_DIR/ports.env" v reuse=1 ports
	if [[ -s $f ]]; then
		for v in "${PORT_VARS[@]}"; do
			local p
			p=$(sed -n "s/^$v=\([0-9]\{1,5\}\)$/\1/p" "$f")
			if [[ -z $p ]] || ! port_free "$p"; then
				reuse=0
				break
			fi
			printf -v "$v" '%s' "$p"
		done
	else
		reuse=0
	fi
	if ((reuse)); then
		info "reusing ports from $f"
		return 0
	fi
	read -r -a ports <<<"$(pick_ports "${#PORT_VARS[@]}")"
	((${#ports[@]} == ${#PORT_VARS[@]})) || die "could not pick free ports"
	local i
	for i in "${!PORT_VARS[@]}"; do
		printf -v "${PORT_VARS[$i]}" '%s' "${ports[$i]}"
	done
	: >"$f"
	for v in "${PORT_VARS[@]}"; do
		printf '%s=%s\n' "$v" "${!v}" >>"$f"
	done
}

# -------------------------------------------------------------- configs

# write_loki_config: only for a real Loki the machine already has. This is
# the single-binary config the stack ran with when it still built Loki
# v3.7.8: filesystem storage, in-memory ring, loopback listeners,
# structured metadata allowed.
write_loki_config() {
	if [[ -z $REAL_LOKI_BIN ]]; then
		rm -f "$STACK_DIR/loki.yaml"
		return 0
	fi
	mkdir -p "$STACK_DIR/loki/chunks" "$STACK_DIR/loki/rules"
	local ruler=""
	if [[ -n $ALERTMANAGER_BIN ]]; then
		ruler="ruler:
  alertmanager_url: http://127.0.0.1:$AM_PORT
  enable_api: true"
	fi
	cat >"$STACK_DIR/loki.yaml" <<EOF
# Generated by scripts/stack/up.sh; rewritten on every start.
auth_enabled: false

server:
  http_listen_address: 127.0.0.1
  http_listen_port: $LOKI_HTTP_PORT
  grpc_listen_address: 127.0.0.1
  grpc_listen_port: $LOKI_GRPC_PORT
  log_level: info
  grpc_server_max_recv_msg_size: 104857600
  grpc_server_max_send_msg_size: 104857600
  grpc_server_max_concurrent_streams: 1000

common:
  instance_addr: 127.0.0.1
  path_prefix: $STACK_DIR/loki
  storage:
    filesystem:
      chunks_directory: $STACK_DIR/loki/chunks
      rules_directory: $STACK_DIR/loki/rules
  replication_factor: 1
  ring:
    instance_addr: 127.0.0.1
    kvstore:
      store: inmemory

ingester:
  lifecycler:
    # The default 15s makes /ready slow; nothing else joins this ring.
    min_ready_duration: 1s
    final_sleep: 0s

schema_config:
  configs:
    - from: 2020-10-24
      store: tsdb
      object_store: filesystem
      schema: v13
      index:
        prefix: index_
        period: 24h

limits_config:
  allow_structured_metadata: true
  reject_old_samples: false
  volume_enabled: true
  # High enough for a 100k-line benchmark push in one go.
  ingestion_rate_mb: 64
  ingestion_burst_size_mb: 128
  per_stream_rate_limit: 64MB
  per_stream_rate_limit_burst: 128MB

query_range:
  results_cache:
    cache:
      embedded_cache:
        enabled: true
        max_size_mb: 100

frontend:
  encoding: protobuf
  # Defaults (10s / 3s) keep /ready at 503 for ~10s after start.
  scheduler_dns_lookup_period: 1s

frontend_worker:
  dns_lookup_duration: 1s

pattern_ingester:
  enabled: false

$ruler

tracing:
  enabled: false

analytics:
  reporting_enabled: false
EOF
}

write_prometheus_config() {
	local alerting="" am_scrape="" loki_scrape=""
	if [[ -n $REAL_LOKI_BIN ]]; then
		loki_scrape="  - job_name: loki
    static_configs:
      - targets: ['127.0.0.1:$LOKI_HTTP_PORT']"
	fi
	if [[ -n $ALERTMANAGER_BIN ]]; then
		alerting="alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:$AM_PORT']"
		am_scrape="  - job_name: alertmanager
    static_configs:
      - targets: ['127.0.0.1:$AM_PORT']"
	fi
	cat >"$STACK_DIR/rules.yml" <<'EOF'
# Generated by scripts/stack/up.sh; rewritten on every start.
groups:
  - name: reltui-demo
    interval: 15s
    rules:
      - alert: PaymentsErrorBurst
        expr: |
          sum(rate(http_requests_total{service="payments",code=~"5.."}[1m]))
            /
          sum(rate(http_requests_total{service="payments"}[1m]))
            > 0.05
        for: 0m
        labels:
          severity: page
          service: payments
        annotations:
          summary: payments is failing more than 5% of requests
          description: '5xx ratio for service payments is {{ $value | humanizePercentage }} over the last minute.'
      # A scheduled 2-3 minute demo stall peaks at 600-900 messages of lag
      # at the default rate, so the threshold sits below that.
      - alert: ConsumerLagHigh
        expr: sum by (consumergroup) (kafka_consumergroup_lag) > 300
        for: 0m
        labels:
          severity: warning
        annotations:
          summary: 'consumer group {{ $labels.consumergroup }} is lagging'
          description: 'consumer group {{ $labels.consumergroup }} is {{ $value }} messages behind.'
EOF
	cp "$STACK_REPO_ROOT/scripts/stack/noise-rules.yml" "$STACK_DIR/noise-rules.yml"
	# Rule groups in the shapes Sloth and Pyrra generate, for reltui's SLO
	# discovery (the dev context configures no SLO of these).
	mkdir -p "$STACK_DIR/slo-rules"
	rm -f "$STACK_DIR"/slo-rules/*.yml
	cp "$STACK_REPO_ROOT"/scripts/stack/rules/*.yml "$STACK_DIR/slo-rules/"
	cat >"$STACK_DIR/prometheus.yml" <<EOF
# Generated by scripts/stack/up.sh; rewritten on every start.
global:
  scrape_interval: 15s
  evaluation_interval: 15s

storage:
  tsdb:
    # Lets the demo push recent samples with chosen timestamps via remote write.
    out_of_order_time_window: 2h

rule_files:
  - $STACK_DIR/rules.yml
  - $STACK_DIR/noise-rules.yml
  - $STACK_DIR/slo-rules/*.yml

$alerting

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROM_PORT']
  - job_name: victorialogs
    static_configs:
      - targets: ['127.0.0.1:$VLOGS_PORT']
$loki_scrape
  - job_name: jaeger
    static_configs:
      - targets: ['127.0.0.1:$JAEGER_METRICS_PORT']
$am_scrape
EOF
	"$PROMTOOL_BIN" check config "$STACK_DIR/prometheus.yml" >"$STACK_LOGS/promtool-check.log" 2>&1 || {
		cat "$STACK_LOGS/promtool-check.log" >&2
		die "promtool check config failed"
	}
}

write_alertmanager_config() {
	[[ -n $ALERTMANAGER_BIN ]] || return 0
	mkdir -p "$STACK_DIR/alertmanager"
	cat >"$STACK_DIR/alertmanager.yml" <<'EOF'
# Generated by scripts/stack/up.sh; rewritten on every start.
# Alerts are kept (visible in the API and in reltui) but not sent anywhere.
route:
  receiver: devnull
  group_by: [alertname]
  group_wait: 5s
  group_interval: 30s
  repeat_interval: 4h
receivers:
  - name: devnull
EOF
}

write_jaeger_config() {
	cat >"$STACK_DIR/jaeger.yaml" <<EOF
# Generated by scripts/stack/up.sh; rewritten on every start.
# Jaeger v2 ($JAEGER_VERSION) all-in-one with memory storage. Every listener is
# pinned to 127.0.0.1; pprof, zpages, expvar, remote sampling and the
# jaeger/zipkin receivers are left out on purpose.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: $JAEGER_METRICS_PORT
    logs:
      level: info

extensions:
  healthcheckv2:
    # Legacy mode: a single HTTP endpoint (no extra gRPC health listener).
    use_v2: false
    endpoint: 127.0.0.1:$JAEGER_HEALTH_PORT
    path: /status

  jaeger_query:
    storage:
      traces: memstore
    # Do not trace the query service into itself.
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:$JAEGER_QUERY_HTTP_PORT
    grpc:
      endpoint: 127.0.0.1:$JAEGER_QUERY_GRPC_PORT

  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$OTLP_GRPC_PORT
      http:
        endpoint: 127.0.0.1:$OTLP_HTTP_PORT

processors:
  batch:
    timeout: 100ms

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
EOF
}

# -------------------------------------------------------------- backfill

backfill_prometheus() {
	local tsdb="$STACK_DIR/prometheus"
	if [[ -d $tsdb ]]; then
		if [[ -e $STACK_DIR/backfill.skipped && -x $DEMO_BIN ]]; then
			warn "this stack's Prometheus data was created without the 30-day backfill;" \
				"run 'bash scripts/stack/down.sh --clean' and up.sh again to get it"
		fi
		return 0
	fi
	if [[ ! -x $DEMO_BIN ]]; then
		loud_warn "SKIPPING the 30-day SLI backfill: $DEMO_BIN was not built (cmd/reltui-demo missing)."
		touch "$STACK_DIR/backfill.skipped"
		return 0
	fi
	rm -f "$STACK_DIR/backfill.skipped"
	local start=$SECONDS tmp="$STACK_DIR/prometheus.backfill-tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	info "generating 30 days of SLI history ($DEMO_BIN backfill)"
	"$DEMO_BIN" backfill --out "$STACK_DIR/backfill.om" --days 30 >"$STACK_LOGS/backfill.log" 2>&1 || {
		show_log_tail backfill
		rm -rf "$tmp"
		die "reltui-demo backfill failed"
	}
	info "importing $(du -h "$STACK_DIR/backfill.om" | cut -f1) of OpenMetrics into Prometheus blocks (promtool)"
	# promtool re-reads the whole input once per block window, so the default
	# 2h windows mean ~360 passes over 30 days; one window per ~month is
	# seconds instead of many minutes.
	"$PROMTOOL_BIN" tsdb create-blocks-from openmetrics --max-block-duration=744h -r \
		"$STACK_DIR/backfill.om" "$tmp" >>"$STACK_LOGS/backfill.log" 2>&1 || {
		show_log_tail backfill
		rm -rf "$tmp"
		die "promtool tsdb create-blocks-from openmetrics failed"
	}
	mv "$tmp" "$tsdb"
	rm -f "$STACK_DIR/backfill.om"
	ok "backfilled Prometheus in $((SECONDS - start))s ($(find "$tsdb" -maxdepth 1 -name '01*' -type d | wc -l) blocks)"
}

# ------------------------------------------------------------- services

start_servers() {
	ENABLED_SERVICES=()
	if [[ -n $ALERTMANAGER_BIN ]]; then
		start_service alertmanager "$ALERTMANAGER_BIN" \
			--config.file="$STACK_DIR/alertmanager.yml" \
			--storage.path="$STACK_DIR/alertmanager" \
			--web.listen-address="127.0.0.1:$AM_PORT" \
			--web.external-url="http://127.0.0.1:$AM_PORT" \
			--cluster.listen-address=
		ENABLED_SERVICES+=(alertmanager)
	fi
	start_service prometheus "$PROMETHEUS_BIN" \
		--config.file="$STACK_DIR/prometheus.yml" \
		--storage.tsdb.path="$STACK_DIR/prometheus" \
		--storage.tsdb.retention.time=60d \
		--web.listen-address="127.0.0.1:$PROM_PORT" \
		--web.external-url="http://127.0.0.1:$PROM_PORT" \
		--web.enable-remote-write-receiver \
		--web.enable-lifecycle \
		--enable-feature=exemplar-storage
	ENABLED_SERVICES+=(prometheus)
	start_service victorialogs "$VLOGS_BIN" \
		-httpListenAddr="127.0.0.1:$VLOGS_PORT" \
		-storageDataPath="$STACK_DIR/victorialogs" \
		-retentionPeriod=60d
	ENABLED_SERVICES+=(victorialogs)
	if [[ -n $REAL_LOKI_BIN ]]; then
		start_service loki "$REAL_LOKI_BIN" -config.file="$STACK_DIR/loki.yaml"
		ENABLED_SERVICES+=(loki)
	fi
	start_service jaeger "$JAEGER_BIN" --config="$STACK_DIR/jaeger.yaml"
	ENABLED_SERVICES+=(jaeger)
}

# health_urls NAME: the URLs that must answer 2xx for NAME to be ready.
health_urls() {
	case $1 in
	alertmanager) echo "http://127.0.0.1:$AM_PORT/-/ready" ;;
	prometheus) echo "http://127.0.0.1:$PROM_PORT/-/ready" ;;
	victorialogs)
		# /health answers once storage is open; a cheap query proves the
		# read path too.
		echo "http://127.0.0.1:$VLOGS_PORT/health"
		echo "http://127.0.0.1:$VLOGS_PORT/select/logsql/query?query=_time:1m&limit=1"
		;;
	loki)
		# /ready turns 200 a moment before the query scheduler takes
		# requests; a real (cheap) query proves the read path works too.
		echo "http://127.0.0.1:$LOKI_HTTP_PORT/ready"
		echo "http://127.0.0.1:$LOKI_HTTP_PORT/loki/api/v1/labels"
		;;
	jaeger)
		echo "http://127.0.0.1:$JAEGER_HEALTH_PORT/status"
		echo "http://127.0.0.1:$JAEGER_QUERY_HTTP_PORT/api/services"
		;;
	demo) [[ -n ${DEMO_CONTROL_PORT:-} ]] && echo "tcp:$DEMO_CONTROL_PORT" ;;
	esac
}

svc_ready() {
	local url
	while IFS= read -r url; do
		[[ -n $url ]] || continue
		if [[ $url == tcp:* ]]; then
			port_listening "${url#tcp:}" || return 1
		else
			http_ok "$url" || return 1
		fi
	done < <(health_urls "$1")
}

# wait_ready NAME...: wait until every NAME is ready, or fail on the first
# that exits or when the deadline passes.
wait_ready() {
	local pending=("$@") start=$SECONDS spin='|/-'\\ i=0 name still last_line=$SECONDS
	local deadline=$((SECONDS + READY_TIMEOUT))
	while ((${#pending[@]})); do
		still=()
		for name in "${pending[@]}"; do
			if ! svc_pid "$name" >/dev/null; then
				[[ -t 2 ]] && printf '\r\033[K' >&2
				err "$name exited during startup"
				show_log_tail "$name"
				return 1
			fi
			if svc_ready "$name"; then
				[[ -t 2 ]] && printf '\r\033[K' >&2
				ok "$name ready after $((SECONDS - start))s"
			else
				still+=("$name")
			fi
		done
		pending=("${still[@]}")
		((${#pending[@]})) || break
		if ((SECONDS >= deadline)); then
			[[ -t 2 ]] && printf '\r\033[K' >&2
			err "not ready after ${READY_TIMEOUT}s: ${pending[*]}"
			for name in "${pending[@]}"; do
				health_urls "$name" | sed 's/^/  checked: /' >&2
				show_log_tail "$name"
			done
			return 1
		fi
		if [[ -t 2 ]]; then
			printf '\r%s waiting for %s (%ss)' "${spin:i++%4:1}" "${pending[*]}" "$((SECONDS - start))" >&2
		elif ((SECONDS - last_line >= 10)); then
			info "  ... waiting for ${pending[*]} ($((SECONDS - start))s of ${READY_TIMEOUT}s)"
			last_line=$SECONDS
		fi
		sleep 0.5
	done
}

# demo_can_run: the built reltui-demo has the "run" subcommand with the
# flags this script passes.
demo_can_run() {
	[[ -x $DEMO_BIN ]] && "$DEMO_BIN" run --help 2>&1 | grep -q -- '--control'
}

start_demo() {
	if [[ ! -x $DEMO_BIN ]]; then
		loud_warn "NOT starting the demo workload: $DEMO_BIN was not built (cmd/reltui-demo missing)."
		return 0
	fi
	if ! demo_can_run; then
		loud_warn "NOT starting the demo workload: '$DEMO_BIN run' does not exist yet" \
			"(or has no --control flag). Traces, logs and live metrics will be missing."
		return 0
	fi
	start_service demo "$DEMO_BIN" run \
		--logs "http://127.0.0.1:$VLOGS_PORT" --logs-api victorialogs \
		--prometheus "http://127.0.0.1:$PROM_PORT" \
		--otlp "http://127.0.0.1:$OTLP_HTTP_PORT" \
		--control "127.0.0.1:$DEMO_CONTROL_PORT" \
		--schedule="${RELTUI_DEMO_SCHEDULE:-true}"
	ENABLED_SERVICES+=(demo)
	wait_ready demo
}

stop_all() {
	stop_stack 40 >/dev/null
	local left
	left=$(stack_leftovers)
	if [[ -n $left ]]; then
		warn "stray stack processes without pid files; stopping them:"
		printf '%s\n' "$left" >&2
		local pid
		while read -r pid _; do
			kill -TERM "$pid" 2>/dev/null || true
		done <<<"$left"
		sleep 2
		while read -r pid _; do
			kill -KILL "$pid" 2>/dev/null || true
		done <<<"$left"
	fi
}

on_exit() {
	local rc=$?
	if ((rc != 0 && UP_STARTED)); then
		err "stack start failed; stopping what was started"
		stop_all || true
	fi
}

# ------------------------------------------------------------- outputs

write_outputs() {
	local am_url="" cfg="$STACK_DIR/config.yaml"
	[[ -n $ALERTMANAGER_BIN ]] && am_url="http://127.0.0.1:$AM_PORT"
	{
		echo "current_context: dev"
		echo "contexts:"
		echo "  dev:"
		echo "    victorialogs:"
		echo "      url: http://127.0.0.1:$VLOGS_PORT"
		echo "      timeout: 30s"
		echo "    prometheus:"
		echo "      url: http://127.0.0.1:$PROM_PORT"
		echo "      timeout: 30s"
		if [[ -n $am_url ]]; then
			echo "    alertmanager:"
			echo "      url: $am_url"
		fi
		echo "    jaeger:"
		echo "      url: grpc://127.0.0.1:$JAEGER_QUERY_GRPC_PORT"
		echo "      timeout: 30s"
		echo "    # The demo's SLOs; reltui ships none."
		echo "    slo_files: [$STACK_REPO_ROOT/scripts/stack/slos.yaml]"
		echo "    runbooks:"
		echo "      dir: $STACK_REPO_ROOT/demo/runbooks"
		echo "    # Deploys, drawn on the Metrics pane's charts: the demo's"
		echo "    # build-info series (a new version label is a deploy)."
		echo "    changes:"
		echo "      - name: deploys"
		echo "        kind: deploy"
		echo "        promql: reltui_demo_build_info"
		if [[ " ${ENABLED_SERVICES[*]} " == *" demo "* ]]; then
			echo "    # A game day: reltui drill start payments-errors injects the demo's"
			echo "    # own errors fault and waits for PaymentsErrorBurst to fire."
			echo "    drills:"
			echo "      - name: payments-errors"
			echo "        description: payments answers 5xx for three minutes"
			echo "        inject:"
			echo "          http: {method: POST, url: \"http://127.0.0.1:$DEMO_CONTROL_PORT/faults/errors?for=3m\"}"
			echo "        alert: PaymentsErrorBurst"
			echo "        runbook: PaymentsErrorBurst.md"
			echo "        services: [payments]"
			echo "        timeout: 5m"
		fi
	} >"$cfg.tmp"
	mv -f "$cfg.tmp" "$cfg"

	local env="$STACK_DIR/stack.env" k v
	{
		echo "# Generated by scripts/stack/up.sh. Usage: source .devstack/stack.env"
		echo "# RELTUI_LOKI_URL, RELTUI_LOKI_BIN and RELTUI_LOGCLI are empty unless this machine"
		echo "# has a loki / logcli binary (LOKI_BIN, LOGCLI_BIN or PATH); the project never builds Loki."
		for k in RELTUI_STACK_DIR RELTUI_VLOGS_URL RELTUI_LOKI_URL RELTUI_PROM_URL RELTUI_ALERTMANAGER_URL \
			RELTUI_JAEGER_GRPC RELTUI_JAEGER_HTTP_URL RELTUI_OTLP_GRPC RELTUI_OTLP_HTTP_URL \
			RELTUI_DEMO_CONTROL RELTUI_LOGCLI RELTUI_LOKI_BIN RELTUI_VLOGS_BIN RELTUI_JAEGER_BIN RELTUI_CONFIG; do
			case $k in
			RELTUI_STACK_DIR) v=$STACK_DIR ;;
			RELTUI_VLOGS_URL) v="http://127.0.0.1:$VLOGS_PORT" ;;
			RELTUI_LOKI_URL) v=""; [[ " ${ENABLED_SERVICES[*]} " == *" loki "* ]] && v="http://127.0.0.1:$LOKI_HTTP_PORT" ;;
			RELTUI_PROM_URL) v="http://127.0.0.1:$PROM_PORT" ;;
			RELTUI_ALERTMANAGER_URL) v=$am_url ;;
			RELTUI_JAEGER_GRPC) v="127.0.0.1:$JAEGER_QUERY_GRPC_PORT" ;;
			RELTUI_JAEGER_HTTP_URL) v="http://127.0.0.1:$JAEGER_QUERY_HTTP_PORT" ;;
			RELTUI_OTLP_GRPC) v="127.0.0.1:$OTLP_GRPC_PORT" ;;
			RELTUI_OTLP_HTTP_URL) v="http://127.0.0.1:$OTLP_HTTP_PORT" ;;
			RELTUI_DEMO_CONTROL) v=""; [[ " ${ENABLED_SERVICES[*]} " == *" demo "* ]] && v="127.0.0.1:$DEMO_CONTROL_PORT" ;;
			RELTUI_LOGCLI) v=$LOGCLI ;;
			RELTUI_LOKI_BIN) v=$REAL_LOKI_BIN ;;
			RELTUI_VLOGS_BIN) v=$VLOGS_BIN ;;
			RELTUI_JAEGER_BIN) v=$JAEGER_BIN ;;
			RELTUI_CONFIG) v=$cfg ;;
			esac
			# Double quotes, no escapes: internal/stacktest parses this file too.
			[[ $v != *[\"\\\$\`]* ]] || die "cannot write $k=$v to stack.env (quote, backslash, \$ or backquote in value)"
			printf 'export %s="%s"\n' "$k" "$v"
		done
	} >"$env.tmp"
	mv -f "$env.tmp" "$env"
	printf '%s\n' "${ENABLED_SERVICES[@]}" >"$STACK_DIR/services"
}

print_endpoints() {
	local env="$STACK_DIR/stack.env"
	# shellcheck disable=SC1090
	source "$env"
	cat <<EOF

reltui dev stack is up ($STACK_DIR)
  VictoriaLogs    $RELTUI_VLOGS_URL  (LogsQL at /select/logsql/query)
  Loki            ${RELTUI_LOKI_URL:-(no loki binary on PATH or in LOKI_BIN; the project never builds Loki)}
  Prometheus      $RELTUI_PROM_URL
  Alertmanager    ${RELTUI_ALERTMANAGER_URL:-(not installed)}
  Jaeger query    grpc $RELTUI_JAEGER_GRPC, http $RELTUI_JAEGER_HTTP_URL
  OTLP ingest     grpc $RELTUI_OTLP_GRPC, http $RELTUI_OTLP_HTTP_URL
  Jaeger admin    health http://127.0.0.1:$JAEGER_HEALTH_PORT/status, metrics http://127.0.0.1:$JAEGER_METRICS_PORT/metrics
  Demo control    ${RELTUI_DEMO_CONTROL:-(demo not running)}
  PostgreSQL      ${RELTUI_PG_DSN:-(not running)}
  logcli          ${RELTUI_LOGCLI:-(none on PATH)}
  reltui config   $STACK_DIR/config.yaml
  env             source $env
  logs            $STACK_LOGS/
  stop            bash scripts/stack/down.sh  (--clean also wipes data)
EOF
}

# load_running_state: read ports and service list of the current stack.
load_running_state() {
	local f="$STACK_DIR/ports.env" v p
	[[ -s $f && -s $STACK_DIR/services && -s $STACK_DIR/stack.env && -s $STACK_DIR/config.yaml ]] || return 1
	for v in "${PORT_VARS[@]}"; do
		p=$(sed -n "s/^$v=\([0-9]\{1,5\}\)$/\1/p" "$f")
		[[ -n $p ]] || return 1
		printf -v "$v" '%s' "$p"
	done
	mapfile -t ENABLED_SERVICES <"$STACK_DIR/services"
}

stack_healthy() {
	load_running_state || return 1
	local name
	for name in "${ENABLED_SERVICES[@]}"; do
		svc_pid "$name" >/dev/null || return 1
		svc_ready "$name" || return 1
	done
	# Started before cmd/reltui-demo existed: restart to get the workload.
	if [[ " ${ENABLED_SERVICES[*]} " != *" demo "* ]] && demo_can_run; then
		info "reltui-demo can run now but the running stack has no demo workload; restarting"
		return 1
	fi
	# Started from other backend versions than the ones pinned now.
	local pid exe want
	for name in victorialogs jaeger; do
		want=$VLOGS_BIN
		[[ $name == jaeger ]] && want=$JAEGER_BIN
		pid=$(svc_pid "$name") || return 1
		exe=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1) || exe=""
		if [[ -n $exe && $exe != "$want" ]]; then
			info "running $name is $exe, not $want; restarting"
			return 1
		fi
	done
	# A loki binary appeared or went away since the stack started.
	local has_loki=0 runs_loki=0
	find_real_loki >/dev/null && has_loki=1
	[[ " ${ENABLED_SERVICES[*]} " == *" loki "* ]] && runs_loki=1
	if ((has_loki != runs_loki)); then
		info "a real loki binary appeared or went away since the stack started; restarting"
		return 1
	fi
	return 0
}

any_running() {
	local name
	for name in "${STACK_SERVICES[@]}"; do
		svc_pid "$name" >/dev/null && return 0
	done
	[[ -n $(stack_leftovers) ]]
}

# ---------------------------------------------------------------- main

up_locked() {
	local t0=$SECONDS
	if stack_healthy; then
		ok "stack already running and healthy"
		bash "$STACK_REPO_ROOT/scripts/stack/postgres.sh" start
		print_endpoints
		return 0
	fi
	if any_running; then
		info "stack is partly running or unhealthy; restarting it"
		stop_all
	fi
	mkdir -p "$STACK_LOGS" "$STACK_PIDS"
	ensure_packages
	build_backends
	build_reltui
	choose_ports
	write_loki_config
	write_alertmanager_config
	write_prometheus_config
	write_jaeger_config
	backfill_prometheus

	UP_STARTED=1
	trap on_exit EXIT
	info "starting servers"
	start_servers
	wait_ready "${ENABLED_SERVICES[@]}"
	start_demo
	write_outputs
	# After write_outputs: it rewrites stack.env, and this adds RELTUI_PG_DSN.
	bash "$STACK_REPO_ROOT/scripts/stack/postgres.sh" start
	UP_STARTED=0
	trap - EXIT
	ok "stack up in $((SECONDS - t0))s"
	print_endpoints
}

main() {
	case ${1:-} in
	-h | --help)
		usage
		return 0
		;;
	"") ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	command -v go >/dev/null 2>&1 || die "go is not on PATH"
	mkdir -p "$STACK_DIR"
	with_lock "$STACK_DIR/.lock" 1800 up_locked
}

main "$@"
