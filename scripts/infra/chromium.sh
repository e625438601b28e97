#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; nothing is downloaded by npm).
# Idempotent; installing needs root.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  echo "infra: installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "infra: $(chromium --version 2>/dev/null)"
