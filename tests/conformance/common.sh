# Settings shared by the conformance scripts (sourced, not run).
# Runtime state (Keystone DB and keys, octane state, tempest workspace, logs, PIDs) lives in
# $STATE; nothing here listens on anything but 127.0.0.1.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${OCTANE_CONFORMANCE_STATE:-/tmp/octane-conformance}"
KS_PORT="${OCTANE_KEYSTONE_PORT:-5000}"
KS_URL="http://127.0.0.1:$KS_PORT/v3"
OCTANE_PORT="${OCTANE_PORT:-9880}"
OCTANE_URL="http://127.0.0.1:$OCTANE_PORT"
OCTANE_BIN="${OCTANE_BIN:-$ROOT/build/octane}"
REGION=RegionOne
ADMIN_PASS="${OCTANE_CONFORMANCE_ADMIN_PASS:-conformance-admin-secret}"
# The service user octane validates tokens with (keystonemiddleware's [keystone_authtoken]).
SVC_USER=octavia
SVC_PASS="${OCTANE_CONFORMANCE_SVC_PASS:-conformance-service-secret}"
SVC_PROJECT=service
KS_PIDFILE="$STATE/run/keystone.pid"
OCTANE_PIDFILE="$STATE/run/octane.pid"
PY=/usr/bin/python3
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

pid_alive() {  # $1: pidfile written by these scripts
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

stop_pid() {   # $1: pidfile; TERM, wait up to 10 s, then KILL; only that PID
  local pid
  [ -f "$1" ] || return 0
  pid="$(cat "$1")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$1"
}

wait_http() {  # $1: URL, $2: seconds, $3: pidfile that must stay alive
  for _ in $(seq 1 "$2"); do
    curl -s -o /dev/null --max-time 3 "$1" && return 0
    [ -n "${3:-}" ] && ! pid_alive "$3" && return 1
    sleep 1
  done
  return 1
}
