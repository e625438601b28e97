#!/usr/bin/env bash
# Debian's systemd, for `systemd-analyze verify` of the unit `provisioning daemon install` writes
# (no systemd needs to run: verify only loads the unit). Idempotent; installing needs root.
set -euo pipefail
if ! command -v systemd-analyze >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "infra: installing systemd needs root: sudo $0" >&2; exit 1; }
  echo "infra: installing systemd"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi
echo "infra: $(systemd-analyze --version | head -1)"
