#!/usr/bin/env bash
# Runs every test: unit tests and integration tests against the real dev
# stack (Loki, Prometheus, Alertmanager, Jaeger on loopback). If the stack
# cannot start, this fails; integration tests never skip.
set -euo pipefail
cd "$(dirname "$0")/.."

# A stack that was already running (make stack-up, make demo) is left up.
started_here=1
for pidfile in .devstack/pids/*.pid; do
  if [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    started_here=0
  fi
done
cleanup() {
  if [[ $started_here == 1 && -z "${RELTUI_KEEP_STACK:-}" ]]; then
    echo "==> stopping the dev stack this run started"
    bash scripts/stack/down.sh || true
  fi
}
trap cleanup EXIT

echo "==> starting the dev stack (builds Loki and Jaeger on first use; this takes minutes)"
bash scripts/stack/up.sh

echo "==> go vet"
go vet ./...
go vet -tags integration ./...

echo "==> unit and integration tests (-race)"
# shellcheck disable=SC1091
source .devstack/stack.env
export RELTUI_STACK_DIR
go test -race -count=1 -timeout 25m -tags integration ./...
