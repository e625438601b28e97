#!/usr/bin/env bash
# Installs and starts a Docker engine with Compose v1 and builds the local test images (nothing can be
# pulled here). Idempotent: a second run only checks, in a few seconds. Needs root. Usage:
#   scripts/infra/docker.sh          install what is missing, start dockerd, build images
set -euo pipefail
CACHE="${PROVISIONING_TEST_CACHE:-$HOME/.cache/provisioning-test}"
mkdir -p "$CACHE"
ready() { docker info >/dev/null 2>&1 && command -v docker-compose >/dev/null && docker image inspect local/busybox:test local/pause:1 >/dev/null 2>&1; }
if ! ready && [ "$(id -u)" != 0 ]; then
  echo "infra: installing and starting Docker needs root: sudo $0" >&2
  exit 1
fi

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx httpd || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  echo "infra: installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# This sandbox lacks CAP_SYS_RESOURCE, so runc fails when a container sets oomScoreAdj (kubelet does):
# a runtime that drops it from the bundle's config.json and then runs runc.
wrapper=/usr/local/bin/runc-nooom
if [ ! -x "$wrapper" ]; then
  cat >"$wrapper" <<'WRAPPER'
#!/bin/sh
# runc without process.oomScoreAdj (not permitted in this sandbox); the bundle follows --bundle or is cwd.
bundle=.
prev=
for arg in "$@"; do
  [ "$prev" = "--bundle" ] || [ "$prev" = "-b" ] && bundle="$arg"
  prev="$arg"
done
if [ -f "$bundle/config.json" ]; then
  python3 -c 'import json,sys; p=sys.argv[1]; c=json.load(open(p)); c.get("process",{}).pop("oomScoreAdj",None); json.dump(c,open(p,"w"))' "$bundle/config.json"
fi
exec runc "$@"
WRAPPER
  chmod +x "$wrapper"
fi

if ! docker info >/dev/null 2>&1; then
  echo "infra: starting dockerd"
  setsid dockerd --add-runtime "nooom=$wrapper" --default-runtime nooom >/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { echo "infra: dockerd did not start; see /var/log/dockerd.log" >&2; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi

# local/busybox:test — busybox with sh, httpd, nc, sleep…; local/pause:1 — the same, sleeping (kubelet's pod sandbox).
image() { # name, CMD as JSON
  docker image inspect "$1" >/dev/null 2>&1 && return
  echo "infra: building $1"
  local rootfs="$CACHE/busybox-rootfs"
  if [ ! -x "$rootfs/bin/sh" ]; then
    rm -rf "$rootfs" && mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/busybox"
    for tool in $(/bin/busybox --list); do [ "$tool" = busybox ] || ln -sf busybox "$rootfs/bin/$tool"; done
    echo ok >"$rootfs/www/health"
  fi
  tar -C "$rootfs" -c . | docker import --change "CMD $2" --change 'ENV PATH=/bin' - "$1" >/dev/null
}
image local/busybox:test '["/bin/sh"]'
image local/pause:1 '["sleep","1000000"]'
echo "infra: docker $(docker version --format '{{.Server.Version}}'), $(docker-compose version --short) ready"
