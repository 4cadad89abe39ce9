#!/usr/bin/env bash
# Soak benchmark of `reltui serve` on loopback against the dev stack.
#
# 20 healthy OpenSSH clients (each in its own pty through util-linux
# script, 120x40) log in, start a live tail of every service in the Logs
# pane and open the Incidents pane; then, for DURATION, each presses ? and
# times until the help is drawn, then ? again until the pane is back
# (key-to-frame latency; each key waits for the last one's frame). The run is
# made twice: alone, then with five hostile clients beside them (one never
# reads, one reads a byte a second, one logs in and leaves in a loop, one
# never finishes the handshake, one floods keys).
#
# Printed per run: latency p50/p99, server RSS (start, end, peak) and
# goroutines (start, end, after every client left; the fewest in the
# first and last 35 s and the most, since every session's SLO pane
# refreshes every 30 s and a single sample may land on that burst or
# between two), sessions still counted
# after every client left (wedged; must be 0), how long Shutdown took after
# SIGTERM; then the p99 ratio hostile/alone (the target is <= 1.5).
#
# Usage: bench/serve-soak.sh [-d DURATION] [-n HEALTHY]   (default 10m, 20)
# SOAK_DUMP_DIR=DIR: a run that ends with wedged sessions SIGQUITs the
# server instead of timing Shutdown and leaves its goroutine dump in DIR.
# SOAK_VERBOSE=1 copies the server's log to stderr.
# Needs the dev stack (make stack-up), ssh, ssh-keygen, script and python3
# (the pty of the clients that type but never read, or read a byte a second).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10m
HEALTHY=20
while getopts "d:n:" opt; do
  case $opt in
    d) DURATION=$OPTARG ;;
    n) HEALTHY=$OPTARG ;;
    *) echo "usage: $0 [-d DURATION] [-n HEALTHY]" >&2; exit 2 ;;
  esac
done
[[ -f .devstack/config.yaml ]] || { echo "no dev stack; run make stack-up" >&2; exit 1; }
for c in ssh ssh-keygen script python3; do
  command -v "$c" >/dev/null || { echo "needs $c" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/reltui" ./cmd/reltui
go build -o "$work/servesoak" ./bench/internal/servesoak
port=$((20000 + RANDOM % 20000))
dump() { [[ -n "${SOAK_DUMP_DIR:-}" ]] && echo "-dump $SOAK_DUMP_DIR/serve-soak-$1-$port.txt"; true; }

"$work/servesoak" -reltui "$work/reltui" -config .devstack/config.yaml -work "$work/soak" \
  -port "$port" -duration "$DURATION" -healthy "$HEALTHY" $(dump alone) | tee "$work/alone.txt"
echo
"$work/servesoak" -reltui "$work/reltui" -config .devstack/config.yaml -work "$work/soak" \
  -port "$((port + 1))" -duration "$DURATION" -healthy "$HEALTHY" -hostile $(dump hostile) | tee "$work/hostile.txt"
echo
p99() { awk '/^latency_p99_ms:/ {print $2}' "$1"; }
awk -v a="$(p99 "$work/alone.txt")" -v h="$(p99 "$work/hostile.txt")" \
  'BEGIN { printf "p99 ratio hostile/alone: %.2f (%.1f ms / %.1f ms; target <= 1.5)\n", (a > 0 ? h / a : 0), h, a }'
grep -h '^wedged_sessions:' "$work/alone.txt" "$work/hostile.txt" | awk '{ s += $2 } END { print "wedged sessions in both runs: " s }'
