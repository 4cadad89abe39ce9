#!/usr/bin/env bash
# One command to see reltui work: bring up the real backends and the demo
# workload (if they are not already running) and open the console on them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/stack/up.sh
mkdir -p .devstack/bin
echo "==> building reltui"
go build -o .devstack/bin/reltui ./cmd/reltui
echo "==> opening the console (q quits; the stack keeps running — 'make stack-down' stops it)"
exec .devstack/bin/reltui --config .devstack/config.yaml "$@"
