#!/usr/bin/env bash
# Installs, from Debian's archive, whatever Octane needs to build, test and run that is missing.
# Idempotent: packages already present are not touched, and nothing is fetched when all are there.
set -euo pipefail
packages=(
  cmake ninja-build g++ clang-14 libclang-rt-14-dev clang-format-14 pkg-config
  libboost-dev libboost-system-dev libssl-dev zlib1g-dev nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev libsqlite3-dev libpq-dev postgresql liburing-dev
  prometheus-cpp-dev libnl-3-dev libnl-route-3-dev libnftables-dev libnetfilter-conntrack-dev nftables
  libbpf-dev bpftool
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-pytest python3-requests python3-openstackclient python3-octaviaclient
  python3-cryptography
  haproxy wrk curl iproute2 procps openssh-server openssh-client keepalived
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
# haproxy's package starts a system service; Octane runs its own copies, so leave the port free.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy 2>/dev/null; then
  "${sudo_cmd[@]}" systemctl stop haproxy || true
fi
# keepalived's package ships a system service; Octane's agents run their own keepalived per
# amphora (in its namespace, with its own files), and a system one must never hold a VIP.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  "${sudo_cmd[@]}" systemctl disable --now keepalived >/dev/null 2>&1 || true
fi
