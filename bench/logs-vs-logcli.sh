#!/usr/bin/env bash
# Side-by-side: `reltui logs` against `logcli query` (built from the same
# Loki module version) reading the same 100k lines from the same real Loki.
# Prints the wall-time and peak-RSS ratios (reltui / logcli); the target is
# <= 1.0 on both. Needs the dev stack: make stack-up.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"
RUNS="${RUNS:-3}"

[[ -f .devstack/stack.env ]] || { echo "no dev stack; run make stack-up" >&2; exit 1; }
# shellcheck disable=SC1091
source .devstack/stack.env
LOGCLI="${RELTUI_LOGCLI:?stack.env has no RELTUI_LOGCLI}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/reltui" ./cmd/reltui
go build -o "$work/pushlines" ./bench/internal/pushlines
go build -o "$work/measure" ./bench/internal/measure

run_id="bench-$(date +%s)-$$"
"$work/pushlines" -loki "$RELTUI_LOKI_URL" -run "$run_id" -n "$N"
sleep 2  # let the ingester make the last push queryable

q="{bench_run=\"$run_id\"}"
reltui_cmd=("$work/reltui" logs "$q" --config .devstack/config.yaml --since 30m --limit "$N")
logcli_cmd=(env LOKI_ADDR="$RELTUI_LOKI_URL" "$LOGCLI" query "$q" --since 30m --limit "$N" --batch 5000 --quiet)

declare -a rw rr lw lr
for i in $(seq 1 "$RUNS"); do
  read -r w r n < <("$work/measure" "${reltui_cmd[@]}")
  [[ $n == "$N" ]] || { echo "reltui printed $n lines, want $N" >&2; exit 1; }
  rw+=("$w"); rr+=("$r")
  read -r w r n < <("$work/measure" "${logcli_cmd[@]}")
  [[ $n -ge $N ]] || { echo "logcli printed $n lines, want $N" >&2; exit 1; }
  lw+=("$w"); lr+=("$r")
  echo "run $i: reltui ${rw[-1]}s ${rr[-1]}KiB | logcli ${lw[-1]}s ${lr[-1]}KiB"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mrw=$(median "${rw[@]}"); mrr=$(median "${rr[@]}"); mlw=$(median "${lw[@]}"); mlr=$(median "${lr[@]}")
echo "median: reltui ${mrw}s ${mrr}KiB | logcli ${mlw}s ${mlr}KiB"
awk -v a="$mrw" -v b="$mlw" 'BEGIN {printf "wall-time ratio reltui/logcli: %.2fx\n", a/b}'
awk -v a="$mrr" -v b="$mlr" 'BEGIN {printf "peak-RSS ratio reltui/logcli:  %.2fx\n", a/b}'
