#!/usr/bin/env bash
# Installs what is missing, builds build/ and runs every test (unit, integration, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh build
ulimit -n "$(ulimit -Hn)" || true
ctest --test-dir build --output-on-failure -j 2 "$@"
