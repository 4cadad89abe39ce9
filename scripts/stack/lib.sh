# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by up.sh and down.sh
# Shared helpers for scripts/stack/up.sh and scripts/stack/down.sh.
# Source this file; it does nothing on its own.
#
# Layout:
#   $STACK_DIR (= <repo>/.devstack)     configs, data, logs, pids, built reltui binaries
#   $RELTUI_CACHE/bin (~/.cache/reltui)  VictoriaLogs and Jaeger binaries, built once
#                                        per machine from tools/backends and tools/jaeger;
#                                        the version is in the file name, so a pin change
#                                        rebuilds instead of reusing an old binary
#
# Loki is AGPL: the project never downloads or builds it. A real Loki runs
# only where the machine already has one (LOKI_BIN, or `loki` on PATH).

STACK_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="$STACK_REPO_ROOT/.devstack"
STACK_LOGS="$STACK_DIR/logs"
STACK_PIDS="$STACK_DIR/pids"

RELTUI_CACHE="${RELTUI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reltui}"
CACHE_BIN="$RELTUI_CACHE/bin"

# Keep these in step with tools/backends/go.mod and tools/jaeger/go.mod.
VLOGS_VERSION="v1.52.2"
JAEGER_VERSION="v1.75.0"
VLOGS_BIN="$CACHE_BIN/victoria-logs-$VLOGS_VERSION"
JAEGER_BIN="$CACHE_BIN/jaeger-$JAEGER_VERSION"

DEMO_BIN="$STACK_DIR/bin/reltui-demo"
RELTUI_BIN="$STACK_DIR/bin/reltui"

# Every service a stack may have; loki only runs where the machine has a
# loki binary (find_real_loki). down.sh stops them all.
STACK_SERVICES=(alertmanager prometheus victorialogs loki jaeger demo)

# find_real_loki: print the path of a loki binary this machine already has
# ($LOKI_BIN, else `loki` on PATH) and return 0, or return 1. LOKI_BIN=none
# means no Loki even if one is on PATH.
find_real_loki() {
	local c=${LOKI_BIN:-}
	[[ $c != none ]] || return 1
	if [[ -n $c ]]; then
		[[ -x $c ]] || return 1
		printf '%s\n' "$c"
		return 0
	fi
	command -v loki 2>/dev/null
}

# find_logcli: like find_real_loki, for logcli ($LOGCLI_BIN or PATH).
find_logcli() {
	local c=${LOGCLI_BIN:-}
	if [[ -n $c ]]; then
		[[ -x $c ]] || return 1
		printf '%s\n' "$c"
		return 0
	fi
	command -v logcli 2>/dev/null
}

# ---------------------------------------------------------------- output

if [[ -t 2 ]]; then
	_C_INFO=$'\033[1;34m' _C_WARN=$'\033[1;33m' _C_ERR=$'\033[1;31m' _C_OK=$'\033[1;32m' _C_OFF=$'\033[0m'
else
	_C_INFO='' _C_WARN='' _C_ERR='' _C_OK='' _C_OFF=''
fi

info() { printf '%s==>%s %s\n' "$_C_INFO" "$_C_OFF" "$*" >&2; }
ok() { printf '%s ok%s %s\n' "$_C_OK" "$_C_OFF" "$*" >&2; }
warn() { printf '%sWARNING:%s %s\n' "$_C_WARN" "$_C_OFF" "$*" >&2; }
err() { printf '%sERROR:%s %s\n' "$_C_ERR" "$_C_OFF" "$*" >&2; }
die() {
	err "$*"
	exit 1
}

# loud_warn prints a boxed warning that is hard to miss in CI logs.
loud_warn() {
	local line
	printf '%s' "$_C_WARN" >&2
	printf '!%.0s' {1..72} >&2
	printf '\n' >&2
	for line in "$@"; do printf '!! %s\n' "$line" >&2; done
	printf '!%.0s' {1..72} >&2
	printf '%s\n' "$_C_OFF" >&2
}

# show_log_tail NAME [LINES]: print the last lines of a service log.
show_log_tail() {
	local name=$1 lines=${2:-40} f="$STACK_LOGS/$1.log"
	if [[ -s $f ]]; then
		printf -- '----- last %s lines of %s -----\n' "$lines" "$f" >&2
		tail -n "$lines" "$f" >&2 || true
		printf -- '----- end of %s -----\n' "$f" >&2
	else
		printf -- '(no log output in %s)\n' "$f" >&2
	fi
}

# re_escape STRING: escape STRING for use in an extended regex (pgrep -f).
re_escape() {
	printf '%s' "$1" | sed -e 's/[][\.*^$+?(){}|/]/\\&/g'
}

# --------------------------------------------------------------- locking

# with_lock FILE TIMEOUT CMD...: run CMD holding an exclusive flock on FILE.
# The lock fd is closed for everything started inside (see start_service),
# so long-running servers never inherit it.
with_lock() {
	local file=$1 timeout=$2
	shift 2
	mkdir -p "$(dirname "$file")"
	if ! command -v flock >/dev/null 2>&1; then
		"$@"
		return
	fi
	local fd
	exec {fd}>"$file"
	if ! flock -w "$timeout" "$fd"; then
		exec {fd}>&-
		die "timed out after ${timeout}s waiting for lock $file (another stack script running?)"
	fi
	# No "|| rc=$?" here: that would switch off errexit inside "$@". On
	# failure the shell exits and the kernel drops the lock with the fd.
	STACK_LOCK_FDS="${STACK_LOCK_FDS:-} $fd" "$@"
	exec {fd}>&-
}

# ----------------------------------------------------------------- ports

# pick_ports N: print N distinct free TCP ports on 127.0.0.1, space separated.
pick_ports() {
	local n=$1
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$n" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
		return
	fi
	# Fallback without python3: random high ports that nothing answers on.
	local picked=() p tries=0
	while ((${#picked[@]} < n)); do
		((tries++ < 1000)) || die "could not find $n free ports"
		p=$((20000 + RANDOM % 40000))
		[[ " ${picked[*]} " == *" $p "* ]] && continue
		port_free "$p" && picked+=("$p")
	done
	echo "${picked[*]}"
}

# port_free PORT: true if PORT can be bound on 127.0.0.1 right now.
port_free() {
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Go servers set SO_REUSEADDR too, so TIME_WAIT leftovers do not count as busy.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
		return
	fi
	! (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null
}

# port_listening PORT: true if something accepts TCP connections on 127.0.0.1:PORT.
port_listening() {
	(: </dev/tcp/127.0.0.1/"$1") 2>/dev/null
}

# ------------------------------------------------------------- processes

# svc_pid NAME: print the pid of a running stack service and return 0, or
# return 1. A pid file whose process is gone, or whose pid was reused by
# something that is not ours (cmdline must mention $STACK_DIR), is stale.
svc_pid() {
	local f="$STACK_PIDS/$1.pid" pid
	[[ -s $f ]] || return 1
	pid=$(<"$f")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	[[ -r /proc/$pid/cmdline ]] || return 0
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STACK_DIR/" || return 1
	echo "$pid"
}

# group_alive PGID: true while any process of the group exists.
group_alive() {
	kill -0 -- "-$1" 2>/dev/null
}

# stop_services TIMEOUT NAME...: SIGTERM the process groups of the named
# services at once, wait up to TIMEOUT seconds for all of them, then SIGKILL
# what is left. Services that are not running are skipped. Prints how many
# were stopped.
stop_services() {
	local timeout=$1 name pid i n=0 alive
	shift
	local names=() pids=()
	for name in "$@"; do
		if pid=$(svc_pid "$name"); then
			info "stopping $name (pid $pid)"
			# Started with setsid, so pid == pgid: signal the whole group.
			kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
			names+=("$name")
			pids+=("$pid")
		else
			rm -f "$STACK_PIDS/$name.pid"
		fi
	done
	local start=$SECONDS
	for ((i = 0; i < timeout * 5; i++)); do
		alive=0
		for pid in "${pids[@]}"; do
			if group_alive "$pid" || kill -0 "$pid" 2>/dev/null; then alive=1; fi
		done
		((alive)) || break
		sleep 0.2
	done
	for i in "${!pids[@]}"; do
		pid=${pids[$i]}
		if group_alive "$pid" || kill -0 "$pid" 2>/dev/null; then
			warn "${names[$i]} did not exit within ${timeout}s after SIGTERM; sending SIGKILL"
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
		rm -f "$STACK_PIDS/${names[$i]}.pid"
		n=$((n + 1))
	done
	for ((i = 0; i < 50; i++)); do
		alive=0
		for pid in "${pids[@]}"; do
			if group_alive "$pid" || kill -0 "$pid" 2>/dev/null; then alive=1; fi
		done
		((alive)) || break
		sleep 0.1
	done
	((n == 0)) || ok "stopped ${names[*]} in $((SECONDS - start))s"
	echo "$n"
}

# stop_stack TIMEOUT: stop the demo workload first (so it does not log errors
# about vanished backends), then all servers in parallel. Prints the count.
stop_stack() {
	local timeout=$1 a b
	a=$(stop_services "$timeout" demo)
	b=$(stop_services "$timeout" jaeger loki victorialogs prometheus alertmanager)
	echo $((a + b))
}

# stack_process_patterns: pgrep -f patterns that match processes of this
# stack only (binary path plus this checkout's .devstack directory), so other
# checkouts' stacks and test backends started from the same cached binaries
# are left alone.
stack_process_patterns() {
	local sd
	sd=$(re_escape "$STACK_DIR")
	# Any loki binary (the machine's own, or an old stack's cached build)
	# started on this stack's loki.yaml; any version of the cached builds.
	printf '%s\n' \
		"^$(re_escape "$CACHE_BIN")/victoria-logs-[^ ]* .*$sd/" \
		"^[^ ]*loki[^ /]* -config\.file=$sd/loki\.yaml" \
		"^$(re_escape "$CACHE_BIN")/jaeger-[^ ]* .*$sd/" \
		"^[^ ]*prometheus --.*$sd/" \
		"^[^ ]*alertmanager --.*$sd/" \
		"^$sd/bin/reltui-demo "
}

# stack_leftovers: print "pid cmdline" for every process of this stack.
stack_leftovers() {
	local pat
	while IFS= read -r pat; do
		pgrep -a -f -- "$pat" || true
	done < <(stack_process_patterns)
}

# start_service NAME CMD...: start CMD in its own session (setsid), output to
# logs/NAME.log, pid to pids/NAME.pid.
start_service() {
	local name=$1 fd
	shift
	mkdir -p "$STACK_LOGS" "$STACK_PIDS"
	{
		printf '\n===== %s starting %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name"
		printf '%q ' "$@"
		printf '\n'
	} >>"$STACK_LOGS/$name.log"
	(
		# Do not let the server inherit lock file descriptors.
		for fd in ${STACK_LOCK_FDS:-}; do exec {fd}>&-; done
		cd "$STACK_DIR" || exit 1
		exec setsid "$@" </dev/null >>"$STACK_LOGS/$name.log" 2>&1
	) &
	local pid=$! i
	echo "$pid" >"$STACK_PIDS/$name.pid"
	# Until the subshell has exec'd, its cmdline is this script's, which
	# svc_pid would call stale. Wait for the exec (or for an early exit).
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STACK_DIR/" && break
		sleep 0.1
	done
}

# ------------------------------------------------------------------ http

# http_ok URL: true if URL answers 2xx within 3 s.
http_ok() {
	curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
}
