#!/usr/bin/env bash
# PostgreSQL 15 for reltui's incident store tests, on a free 127.0.0.1 port.
#
#   bash scripts/stack/postgres.sh start   # idempotent; up.sh calls it
#   bash scripts/stack/postgres.sh stop    # down.sh calls it
#
# Data lives in .devstack/postgres/data (socket and server.log beside it).
# Start writes export RELTUI_PG_DSN="postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable"
# into .devstack/stack.env, replacing any earlier RELTUI_PG_DSN line.
# The server refuses to run as root, so as root it runs as the postgres
# user (Debian's package creates it); otherwise as the calling user.
#
# Environment:
#   RELTUI_STACK_NO_APT=1   never run apt-get (fail if PostgreSQL is missing)
set -euo pipefail

# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_BIN="${RELTUI_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$STACK_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/server.log"
PG_PORT_FILE="$PG_DIR/port"

# as_pg CMD...: run CMD as the server's user.
as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

ensure_postgres() {
	[[ -x $PG_BIN/pg_ctl && -x $PG_BIN/initdb ]] && return 0
	[[ ${RELTUI_STACK_NO_APT:-} != 1 ]] || die "PostgreSQL 15 not found in $PG_BIN; RELTUI_STACK_NO_APT=1 forbids apt-get"
	[[ $(id -u) == 0 ]] || die "PostgreSQL 15 not found in $PG_BIN; install it: sudo apt-get install -y postgresql"
	info "apt-get install postgresql"
	env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
	env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql >&2
	[[ -x $PG_BIN/pg_ctl ]] || die "apt-get installed postgresql but $PG_BIN/pg_ctl is missing"
}

running() {
	[[ -s $PG_DATA/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# write_dsn PORT: put RELTUI_PG_DSN into stack.env, replacing an old line.
write_dsn() {
	local env="$STACK_DIR/stack.env"
	{
		if [[ -f $env ]]; then
			grep -v '^export RELTUI_PG_DSN=' "$env" || true
		fi
		printf 'export RELTUI_PG_DSN="postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable"\n' "$1"
	} >"$env.pg.tmp"
	mv -f "$env.pg.tmp" "$env"
}

start_locked() {
	ensure_postgres
	local port
	if running; then
		port=$(sed -n 4p "$PG_DATA/postmaster.pid")
		[[ $port =~ ^[0-9]+$ ]] || die "cannot read the port of the running PostgreSQL from $PG_DATA/postmaster.pid"
		write_dsn "$port"
		ok "postgres already running on 127.0.0.1:$port"
		return 0
	fi
	mkdir -p "$PG_DIR"
	[[ $(id -u) == 0 ]] && chown postgres: "$PG_DIR"
	chmod 700 "$PG_DIR"
	if [[ ! -s $PG_DATA/PG_VERSION ]]; then
		rm -rf "$PG_DATA"
		info "initdb $PG_DATA"
		as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || {
			cat "$PG_DIR/initdb.log" >&2
			die "initdb failed"
		}
	fi
	port=$(cat "$PG_PORT_FILE" 2>/dev/null || true)
	if [[ ! $port =~ ^[0-9]+$ ]] || ! port_free "$port"; then
		port=$(pick_ports 1)
	fi
	info "starting postgres on 127.0.0.1:$port"
	# Close every inherited descriptor above stderr: the postmaster lives on
	# after this script, and an inherited flock fd would hold the stack lock
	# (or this one) until PostgreSQL stops.
	if ! (
		for fd in "/proc/$BASHPID/fd/"*; do
			fd=${fd##*/}
			((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
		done
		cd "$PG_DIR"
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR" start
	) >/dev/null; then
		tail -n 30 "$PG_LOG" >&2 || true
		die "postgres did not start (log: $PG_LOG)"
	fi
	echo "$port" >"$PG_PORT_FILE"
	"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 || die "postgres started but does not accept connections on 127.0.0.1:$port"
	write_dsn "$port"
	ok "postgres ready on 127.0.0.1:$port (data $PG_DATA)"
}

stop_locked() {
	if ! running; then
		ok "postgres was not running"
		return 0
	fi
	info "stopping postgres"
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
	ok "postgres stopped"
}

main() {
	mkdir -p "$STACK_DIR"
	case ${1:-} in
	start) with_lock "$STACK_DIR/.postgres.lock" 300 start_locked ;;
	stop) with_lock "$STACK_DIR/.postgres.lock" 300 stop_locked ;;
	*)
		sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		[[ ${1:-} == -h || ${1:-} == --help ]] || exit 2
		;;
	esac
}

main "$@"
