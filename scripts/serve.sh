#!/usr/bin/env bash
# Installs what is missing, builds, and starts the all-in-one server (API + worker) in the foreground.
# Extra arguments go to `octane serve` (for example --config-file /etc/octane/octavia.conf).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh build
exec ./build/octane serve "$@"
