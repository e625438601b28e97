#!/usr/bin/env bash
# Debian's zsh and fish, for the shell-completion tests (bash is always there). Idempotent;
# installing needs root.
set -euo pipefail
missing=()
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "infra: installing ${missing[*]} needs root: sudo $0" >&2; exit 1; }
  echo "infra: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "infra: $(zsh --version), $(fish --version)"
