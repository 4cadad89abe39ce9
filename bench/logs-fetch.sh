#!/usr/bin/env bash
# Fetch benchmark against the dev stack's log backend (VictoriaLogs): push
# N lines (100k) under one unique stream, then time
#   reltui logs '{bench_run="ID"}' --since 30m --limit N
# against a plain curl of the same query to VictoriaLogs' LogsQL endpoint
# (/select/logsql/query, the floor: no client work at all), RUNS times
# each. Wall time and peak RSS come from /usr/bin/time -f '%e %M'; the
# medians are printed as ratios reltui/curl.
#
# logcli joins only where the machine has one (on PATH or LOGCLI_BIN) and
# the stack runs a real Loki (the project never builds either): the same
# lines are pushed to that Loki too, and reltui and logcli both read them
# from it.
#
# Needs the dev stack: make stack-up. N=..., RUNS=... override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"
RUNS="${RUNS:-3}"

[[ -f .devstack/stack.env ]] || { echo "no dev stack; run make stack-up" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
# shellcheck disable=SC1091
source .devstack/stack.env
VLOGS="${RELTUI_VLOGS_URL:?stack.env has no RELTUI_VLOGS_URL; restart the stack (make stack-up)}"
LOGCLI="${RELTUI_LOGCLI:-${LOGCLI_BIN:-$(command -v logcli || true)}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/reltui" ./cmd/reltui
go build -o "$work/pushlines" ./bench/internal/pushlines

run_id="bench-$(date +%s)-$$"
# pushlines speaks Loki's push API; VictoriaLogs serves it under /insert.
"$work/pushlines" -loki "$VLOGS/insert" -run "$run_id" -n "$N"
with_loki=0
if [[ -n $LOGCLI && -n ${RELTUI_LOKI_URL:-} ]]; then
  "$work/pushlines" -loki "$RELTUI_LOKI_URL" -run "$run_id" -n "$N"
  with_loki=1
elif [[ -n $LOGCLI ]]; then
  echo "note: $LOGCLI is here but the stack runs no real Loki (no loki binary on PATH or LOKI_BIN); no logcli comparison"
else
  echo "note: no logcli on PATH; comparing with curl only"
fi
sleep 3 # VictoriaLogs makes a push searchable after about a second

q="{bench_run=\"$run_id\"}"
reltui_cmd=("$work/reltui" logs "$q" --config .devstack/config.yaml --since 30m --limit "$N")
curl_cmd=(curl -sS --fail --max-time 300 "$VLOGS/select/logsql/query"
  --data-urlencode "query=$q _time:30m" --data-urlencode "limit=$N")
if ((with_loki)); then
  # The stack's config with the log backend swapped for the real Loki.
  sed -e 's/^    victorialogs:$/    loki:/' \
    -e "/^    loki:$/{n;s|url: .*|url: $RELTUI_LOKI_URL|}" .devstack/config.yaml >"$work/loki.yaml"
  reltui_loki_cmd=("$work/reltui" logs "$q" --config "$work/loki.yaml" --since 30m --limit "$N")
  logcli_cmd=(env LOKI_ADDR="$RELTUI_LOKI_URL" "$LOGCLI" query "$q" --since 30m --limit "$N" --batch 5000 --quiet)
fi

# measure WANT CMD...: run CMD with its stdout counted and leave
# "wall_s rss_kib lines" in $work/m; fail if it failed or printed too little.
measure() {
  local want=$1 n
  shift
  if ! n=$(/usr/bin/time -o "$work/time" -f '%e %M' "$@" | wc -l); then
    echo "failed: $*" >&2
    exit 1
  fi
  ((n >= want)) || { echo "$1 printed $n lines, want $want" >&2; exit 1; }
  echo "$(<"$work/time") $n" >"$work/m"
}

declare -a rw rr cw cr lrw lrr lw lr
for i in $(seq 1 "$RUNS"); do
  measure "$N" "${reltui_cmd[@]}"
  read -r w r n <"$work/m"
  rw+=("$w") rr+=("$r")
  measure "$N" "${curl_cmd[@]}"
  read -r w r n <"$work/m"
  cw+=("$w") cr+=("$r")
  line="run $i: reltui ${rw[-1]}s ${rr[-1]}KiB | curl ${cw[-1]}s ${cr[-1]}KiB"
  if ((with_loki)); then
    measure "$N" "${reltui_loki_cmd[@]}"
    read -r w r n <"$work/m"
    lrw+=("$w") lrr+=("$r")
    measure "$N" "${logcli_cmd[@]}"
    read -r w r n <"$work/m"
    lw+=("$w") lr+=("$r")
    line+=" | on Loki: reltui ${lrw[-1]}s ${lrr[-1]}KiB, logcli ${lw[-1]}s ${lr[-1]}KiB"
  fi
  echo "$line"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN {printf "%-34s %.2fx\n", l, a/b}'; }
mrw=$(median "${rw[@]}") mrr=$(median "${rr[@]}") mcw=$(median "${cw[@]}") mcr=$(median "${cr[@]}")
echo "VictoriaLogs, $N lines, median of $RUNS: reltui ${mrw}s ${mrr}KiB | curl ${mcw}s ${mcr}KiB"
ratio "wall-time ratio reltui/curl:" "$mrw" "$mcw"
ratio "peak-RSS ratio reltui/curl:" "$mrr" "$mcr"
if ((with_loki)); then
  mlrw=$(median "${lrw[@]}") mlrr=$(median "${lrr[@]}") mlw=$(median "${lw[@]}") mlr=$(median "${lr[@]}")
  echo "Loki, $N lines, median of $RUNS: reltui ${mlrw}s ${mlrr}KiB | logcli ${mlw}s ${mlr}KiB"
  ratio "wall-time ratio reltui/logcli:" "$mlrw" "$mlw"
  ratio "peak-RSS ratio reltui/logcli:" "$mlrr" "$mlr"
fi
