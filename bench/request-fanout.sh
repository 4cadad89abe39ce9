#!/usr/bin/env bash
# Side-by-side for the request view's fan-out against the real dev stack:
# for each of N demo request ids (picked from the log backend) it times the request
# view, then makes the very same backend calls one after another, and
# prints view/slowest-single-call (target <= 1.15) and view/sequential
# (target <= 0.5) per request and as medians. Needs the dev stack.
#
# A view that must find the trace id before it can search the trace's
# window makes two dependent rounds of calls, so it also prints, per
# request and as medians: the time until the first progress snapshot (the
# request pane's first frame) holds the trace, over the slowest single call
# (target <= 1.0), and the whole view over its chain of dependent calls,
# each call replayed alone (target <= 1.15). A call depends on the one
# that ended last before it started in the view.
#
# It also counts the CPU time the log backend, Jaeger and the resolver spend per view
# and prints the floor that puts under view/sequential on this machine:
# the backends share its cores with the client, so N cores cannot make a
# view faster than (CPU per view) / N. A second pass reaches the same
# backends through a loopback delay line of RTT round trip (default 40ms;
# RTT=0 skips it), as backends on other machines would be.
#   N=10 SINCE=1h RTT=40ms bash bench/request-fanout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-10}"
SINCE="${SINCE:-1h}"
RTT="${RTT:-40ms}"

[[ -f .devstack/stack.env ]] || { echo "no dev stack; run make stack-up" >&2; exit 1; }
# shellcheck disable=SC1091
source .devstack/stack.env
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/requestfanout" ./bench/internal/requestfanout
# The backends are CPU-bound: on a busy machine parallel calls slow each
# other down, and the ratios say more about the load than the fan-out.
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
pids=""
for svc in victorialogs jaeger; do
	[[ -r .devstack/pids/$svc.pid ]] && pids+="$(<".devstack/pids/$svc.pid"),"
done
echo "== backends on this machine's loopback"
"$work/requestfanout" -backend victorialogs -logs "$RELTUI_VLOGS_URL" -jaeger "$RELTUI_JAEGER_GRPC" -n "$N" -since "$SINCE" -pids "$pids"
if [[ $RTT != 0 ]]; then
	echo "== the same backends through a $RTT round-trip delay line"
	"$work/requestfanout" -backend victorialogs -logs "$RELTUI_VLOGS_URL" -jaeger "$RELTUI_JAEGER_GRPC" -n "$N" -since "$SINCE" -pids "$pids" -rtt "$RTT"
fi
