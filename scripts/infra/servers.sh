#!/usr/bin/env bash
# Debian's real servers for the process-supervision tests: nginx, redis-server, memcached and
# postgresql 15. The tests run them as plain processes on kernel-chosen ports, so the packages' own
# system services must never start: a policy-rc.d that refuses every start is in place while apt
# installs (dpkg's documented way), and whatever still came up is stopped afterwards, so no default
# port (80, 6379, 11211, 5432) is taken. Idempotent; installing needs root.
set -euo pipefail
PG_BIN=/usr/lib/postgresql/15/bin

missing=()
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v memcached >/dev/null || missing+=(memcached)
[ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)

if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "infra: installing ${missing[*]} needs root: sudo $0" >&2; exit 1; }
  echo "infra: installing ${missing[*]}"
  policy=/usr/sbin/policy-rc.d
  saved=''
  if [ -e "$policy" ]; then saved="$(mktemp)" && cp -p "$policy" "$saved"; fi
  printf '#!/bin/sh\n# provisioning infra: no service starts while packages install\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  restore() { if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi; }
  trap restore EXIT
  apt-get update -qq
  NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  restore
  trap - EXIT
fi

# A machine where a package's service was started anyway (an older install, a policy that allowed
# it): stop the system instances so their default ports are free. Only the packages' own daemons,
# found by the pid files their init scripts write.
for pidfile in /run/nginx.pid /run/redis/redis-server.pid /run/memcached/memcached.pid /run/postgresql/15-main.pid; do
  [ -s "$pidfile" ] || continue
  pid="$(head -1 "$pidfile")"
  case "$pid" in '' | *[!0-9]*) continue ;; esac
  kill -0 "$pid" 2>/dev/null || continue
  echo "infra: stopping the system service of $pidfile (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
done

echo "infra: $(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //'), $(redis-server --version | sed -n "s/.*v=\([^ ]*\).*/redis \1/p"), memcached $(memcached -V | cut -d' ' -f2), postgres $("$PG_BIN/postgres" --version | awk '{print $3}')"
