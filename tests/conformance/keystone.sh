#!/bin/bash
# keystone.sh start|stop: the SQLite Keystone of setup.sh under uwsgi on 127.0.0.1:$KS_PORT.
# stop ends only the PID recorded by start.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
case "${1:-}" in
start)
  if pid_alive "$KS_PIDFILE"; then exit 0; fi
  if curl -s -o /dev/null --max-time 3 "$KS_URL"; then
    echo "something else answers on 127.0.0.1:$KS_PORT (set OCTANE_KEYSTONE_PORT)" >&2; exit 1
  fi
  [ -f "$STATE/keystone/keystone.db" ] || { echo "run $HERE/setup.sh first" >&2; exit 1; }
  mkdir -p "$STATE/run" "$STATE/log"
  setsid env OS_KEYSTONE_CONFIG_FILES="$STATE/keystone/keystone.conf" /usr/bin/uwsgi \
    --ini "$HERE/keystone-uwsgi.ini" --http-socket "127.0.0.1:$KS_PORT" --pidfile "$KS_PIDFILE" \
    >>"$STATE/log/keystone.log" 2>&1 </dev/null &
  for _ in $(seq 1 10); do [ -s "$KS_PIDFILE" ] && break; sleep 0.5; done
  if ! wait_http "$KS_URL" 90 "$KS_PIDFILE"; then
    echo "keystone did not come up; $STATE/log/keystone.log:" >&2
    tail -20 "$STATE/log/keystone.log" >&2; exit 1
  fi
  echo "keystone up at $KS_URL (pid $(cat "$KS_PIDFILE"))";;
stop) stop_pid "$KS_PIDFILE";;
*) echo "usage: keystone.sh start|stop" >&2; exit 2;;
esac
