#!/usr/bin/env bash
# Side-by-side for the request view's fan-out against the real dev stack:
# for each of N demo request ids (picked from Loki) it times the request
# view, then makes the very same backend calls one after another, and
# prints view/slowest-single-call (target <= 1.15) and view/sequential
# (target <= 0.5) per request and as medians. Needs the dev stack.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-10}"
SINCE="${SINCE:-1h}"

[[ -f .devstack/stack.env ]] || { echo "no dev stack; run make stack-up" >&2; exit 1; }
# shellcheck disable=SC1091
source .devstack/stack.env
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/requestfanout" ./bench/internal/requestfanout
# The backends are CPU-bound: on a busy machine parallel calls slow each
# other down, and the ratios say more about the load than the fan-out.
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$work/requestfanout" -loki "$RELTUI_LOKI_URL" -jaeger "$RELTUI_JAEGER_GRPC" -n "$N" -since "$SINCE"
