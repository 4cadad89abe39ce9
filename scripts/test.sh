#!/usr/bin/env bash
# Runs every test: unit tests and integration tests against the real dev
# stack (VictoriaLogs, Prometheus, Alertmanager, Jaeger on loopback). If the
# stack cannot start, this fails; integration tests never skip.
#
# Loki is AGPL, so the project never downloads or builds it. Where the
# machine has a loki binary (on PATH, or LOKI_BIN=/path/to/loki), the stack
# starts it too and a second pass runs the real-Loki conformance suite: the
# sources/loki package and every test that reaches the log backend through
# internal/stacklogs, with RELTUI_TEST_LOG_BACKEND=loki and the build tags
# "integration loki" (tests that need a real Loki carry the loki tag).
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

echo "==> starting the dev stack (builds VictoriaLogs and Jaeger on first use; this takes minutes)"
# A stack this run starts has no scheduled faults: every test that needs
# one injects its own, and a scheduled burst would only make the tests
# that need a calm payments service wait for it to pass.
if [[ $started_here == 1 ]]; then
  export RELTUI_DEMO_SCHEDULE=false
fi
bash scripts/stack/up.sh

echo "==> go vet"
go vet ./...
go vet -tags integration ./...

echo "==> unit and integration tests (-race), log backend: VictoriaLogs"
# shellcheck disable=SC1091
source .devstack/stack.env
export RELTUI_STACK_DIR
go test -race -count=1 -timeout 40m -tags integration ./...

if [[ -z ${RELTUI_LOKI_URL:-} ]]; then
  echo "==> NOTE: the real-Loki conformance suite did NOT run: no loki binary on PATH or in LOKI_BIN (the project never downloads or builds Loki, it is AGPL); to run it, put a loki binary on PATH or set LOKI_BIN=/path/to/loki and run make test again"
  exit 0
fi

echo "==> real-Loki conformance suite (-race), log backend: Loki at $RELTUI_LOKI_URL"
mod=$(go list -m)
mapfile -t loki_pkgs < <(go list -tags 'integration loki' \
  -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
  awk -v m="$mod" '$1 == m "/sources/loki" || / [^ ]*\/internal\/stacklogs( |$)/ { print $1 }')
RELTUI_TEST_LOG_BACKEND=loki go test -race -count=1 -timeout 25m -tags 'integration loki' "${loki_pkgs[@]}"
