#!/usr/bin/env bash
# Stop the reltui dev stack started by scripts/stack/up.sh (VictoriaLogs,
# Prometheus, Alertmanager, Jaeger, a real Loki if one ran, PostgreSQL and
# the demo workload). Data in .devstack/ is kept so the next start is fast.
#
#   bash scripts/stack/down.sh            # stop, keep data
#   bash scripts/stack/down.sh --clean    # stop and remove .devstack/, with
#                                         # VictoriaLogs' and Prometheus' data
#                                         # (cached VictoriaLogs/Jaeger builds stay)
# Exits 0 if nothing was running.
set -euo pipefail

# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STOP_TIMEOUT="${RELTUI_STACK_STOP_TIMEOUT:-40}"

down_locked() {
	local clean=$1 i stopped
	bash "$STACK_REPO_ROOT/scripts/stack/postgres.sh" stop || warn "postgres did not stop cleanly"
	stopped=$(stop_stack "$STOP_TIMEOUT")

	# Anything of this stack still alive (lost pid files, forked children)?
	local left pid
	left=$(stack_leftovers)
	if [[ -n $left ]]; then
		warn "stack processes still running without a pid file; stopping them:"
		printf '  %s\n' "$left" >&2
		while read -r pid _; do kill -TERM "$pid" 2>/dev/null || true; done <<<"$left"
		for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
			[[ -n $(stack_leftovers) ]] || break
			sleep 0.1
		done
		left=$(stack_leftovers)
		if [[ -n $left ]]; then
			while read -r pid _; do kill -KILL "$pid" 2>/dev/null || true; done <<<"$left"
			sleep 1
		fi
		stopped=$((stopped + 1))
	fi
	left=$(stack_leftovers)
	if [[ -n $left ]]; then
		err "these stack processes survived SIGKILL:"
		printf '  %s\n' "$left" >&2
		return 1
	fi

	if ((stopped)); then
		ok "stack stopped"
	else
		ok "stack was not running"
	fi

	if ((clean)); then
		info "removing $STACK_DIR (cached backend binaries in $CACHE_BIN are kept)"
		# Keep the lock file itself while we hold it; drop everything else.
		find "$STACK_DIR" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
	fi
}

main() {
	local clean=0
	while (($#)); do
		case $1 in
		--clean) clean=1 ;;
		-h | --help)
			sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
			return 0
			;;
		*) die "unknown argument: $1 (see --help)" ;;
		esac
		shift
	done
	if [[ ! -d $STACK_DIR ]]; then
		ok "stack was not running (no $STACK_DIR)"
		return 0
	fi
	with_lock "$STACK_DIR/.lock" 600 down_locked "$clean"
	if ((clean)); then
		rm -rf "$STACK_DIR"
	fi
}

main "$@"
