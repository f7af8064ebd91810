#!/bin/bash
# setup.sh: idempotent. Installs Debian's keystone, tempest and octavia-tempest-plugin (apt-get,
# without letting the packages start services), then makes the SQLite Keystone in
# $STATE/keystone: schema, fernet keys, admin/admin + RegionOne + identity endpoints, the roles
# tempest's dynamic credentials assign, the service user octane validates tokens with, and the
# `load-balancer` catalog service (catalog.py, at run time). Leaves Keystone stopped.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

PKGS="keystone tempest octavia-tempest-plugin python3-requests uwsgi-plugin-python3 curl"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  # Debian's keystone package would start its own service on all addresses: an exit-101
  # policy-rc.d keeps invoke-rc.d from starting anything (only if none exists).
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

mkdir -p "$STATE/keystone" "$STATE/run" "$STATE/log"
sed "s#@STATE@#$STATE#g" "$HERE/keystone.conf.in" > "$STATE/keystone/keystone.conf"
KM=(/usr/bin/keystone-manage --config-file "$STATE/keystone/keystone.conf")
quiet() { "$@" > "$STATE/log/setup.log" 2>&1 || { tail -20 "$STATE/log/setup.log" >&2; return 1; }; }
if [ ! -f "$STATE/keystone/.initialised" ]; then
  quiet "${KM[@]}" db_sync
  quiet "${KM[@]}" fernet_setup --keystone-user root --keystone-group root
  quiet "${KM[@]}" credential_setup --keystone-user root --keystone-group root
  # WAL: a reader left open by one request must not block the next writer
  $PY -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' \
    "$STATE/keystone/keystone.db"
  touch "$STATE/keystone/.initialised"
fi
if [ -f "$STATE/keystone/.provisioned" ] && [ "$(cat "$STATE/keystone/.provisioned")" = "$KS_URL" ]; then
  exit 0
fi
if pid_alive "$KS_PIDFILE"; then
  echo "keystone of $STATE is running; stop it first ($HERE/keystone.sh stop)" >&2; exit 1
fi
quiet "${KM[@]}" bootstrap --bootstrap-username admin --bootstrap-password "$ADMIN_PASS" \
  --bootstrap-project-name admin --bootstrap-role-name admin \
  --bootstrap-service-name keystone --bootstrap-region-id "$REGION" \
  --bootstrap-admin-url "$KS_URL" --bootstrap-public-url "$KS_URL" --bootstrap-internal-url "$KS_URL"

"$HERE/keystone.sh" start
trap '"$HERE/keystone.sh" stop >/dev/null' EXIT
$PY "$HERE/provision.py" "$KS_URL" "$ADMIN_PASS" "$SVC_USER" "$SVC_PASS" "$SVC_PROJECT"
echo "$KS_URL" > "$STATE/keystone/.provisioned"
echo "keystone provisioned: $KS_URL ($STATE/keystone)"
