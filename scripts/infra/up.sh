#!/usr/bin/env bash
# Installs and starts every engine the tests need; each script is idempotent and caches its builds.
# `npm run infra` (root on a fresh machine; a machine whose engines already answer needs no root).
set -euo pipefail
cd "$(dirname "$0")"
./docker.sh
./helm.sh
./kubernetes.sh
./servers.sh
./chromium.sh
./shells.sh
./systemd.sh
