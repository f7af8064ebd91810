#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: data, unix socket and log in one temp dir, no TCP, no
# system service, trust authentication (only the socket's directory permissions guard it).
#   scripts/test-postgres.sh start DIR   initdb + start; prints the connection URL of database
#                                        `octane` (more: createdb -h DIR -U postgres NAME)
#   scripts/test-postgres.sh stop DIR    fast shutdown of that cluster's postmaster, by its PID;
#                                        then removes DIR
# initdb refuses to run as root: under root the cluster belongs to the `postgres` system user.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "test-postgres: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

case "$action" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
  chmod 0700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --no-locale \
    --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Tests need no durability: fsync off keeps a run quick on a busy machine.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses= -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir" -U postgres octane
  echo "postgresql:///octane?host=$dir&user=postgres"
  ;;
stop)
  pidfile="$dir/data/postmaster.pid"
  if [ -f "$pidfile" ]; then
    pid=$(head -n 1 "$pidfile")
    # SIGINT: fast shutdown (disconnect clients, no wait). Bounded wait for the postmaster to go.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
