#!/usr/bin/env bash
# Regenerates everything in conformance/results/ from the pinned libraries:
#   <profile>/matrix.{md,json,html}   the suite over our implementations and the libraries;
#   <profile>/audit.{md,json}         what the scheme itself guarantees (sipc audit);
#   findings/*/output.txt             what each finding's reproducer prints today.
# Needs conformance/adapters/third_party/install.sh first. CI runs it and requires no diff.
# Usage: generate.sh [SIPC]   (SIPC: the sipc binary; `cargo run -q -p sipc-conformance --` if absent)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
sipc="${1:-cargo run -q --locked -p sipc-conformance --}"
tp="conformance/adapters/third_party"
py="$tp/.venv/bin/python"

matrix() {
  local profile="$1"; shift
  mkdir -p "$here/$profile"
  $sipc matrix --profile "$profile" "$@" \
    --md "$here/$profile/matrix.md" --json "$here/$profile/matrix.json" --html "$here/$profile/matrix.html"
}

matrix standard-webhooks \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "webhooks.py=python3 conformance/adapters/python/webhooks_adapter.py" \
  --adapter "webhooks.js=node conformance/adapters/node/webhooks_adapter.js" \
  --adapter "standardwebhooks (PyPI)=$py $tp/py_standardwebhooks.py" \
  --adapter "svix (PyPI)=$py $tp/py_svix.py" \
  --adapter "standardwebhooks (npm)=node $tp/node_standardwebhooks.js" \
  --adapter "svix (npm)=node $tp/node_svix.js"

matrix stripe \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "webhooks.py=python3 conformance/adapters/python/webhooks_adapter.py" \
  --adapter "webhooks.js=node conformance/adapters/node/webhooks_adapter.js" \
  --adapter "stripe (PyPI)=$py $tp/py_stripe.py" \
  --adapter "stripe (npm)=node $tp/node_stripe.js"

matrix github \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "webhooks.py=python3 conformance/adapters/python/webhooks_adapter.py" \
  --adapter "webhooks.js=node conformance/adapters/node/webhooks_adapter.js" \
  --adapter "@octokit/webhooks-methods (npm)=node $tp/node_octokit_webhooks_methods.js"

matrix slack \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "webhooks.py=python3 conformance/adapters/python/webhooks_adapter.py" \
  --adapter "webhooks.js=node conformance/adapters/node/webhooks_adapter.js" \
  --adapter "slack_sdk (PyPI)=$py $tp/py_slack_sdk.py"

matrix hmac-json-insertion-order \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "spool_hmac.js=node conformance/adapters/node/spool_hmac_adapter.js"

matrix hmac-json-sorted-keys \
  --adapter "sipc-profiles (Rust)=$sipc adapter" \
  --adapter "sorted_hmac.py=python3 conformance/adapters/python/sorted_hmac_adapter.py"

# What each scheme itself guarantees (spec/AUDIT.md), shown on our implementation of it.
audit() {
  local profile="$1" adapter="$2"
  mkdir -p "$here/$profile"
  $sipc audit --profile "$profile" --adapter "$adapter" \
    --md "$here/$profile/audit.md" --json "$here/$profile/audit.json" > /dev/null
}
audit sipc1 "python3 conformance/adapters/python/sipc_adapter.py"
for profile in standard-webhooks stripe github slack; do
  audit "$profile" "python3 conformance/adapters/python/webhooks_adapter.py"
done
audit hmac-json-insertion-order "node conformance/adapters/node/spool_hmac_adapter.js"
audit hmac-json-sorted-keys "python3 conformance/adapters/python/sorted_hmac_adapter.py"

# Each reproducer needs only its library: run from the third-party folder so that Python and
# Node find the pinned packages, nothing of sipc's.
for repro in "$here"/findings/*/repro*.py "$here"/findings/*/repro*.js; do
  [ -f "$repro" ] || continue
  case "$repro" in
    *.py) runner="$root/$py" ;;
    *.js) runner="node" ;;
  esac
  out="${repro%.*}.output.txt"
  if ! (cd "$root/$tp" && NODE_PATH="$root/$tp/node_modules" "$runner" "$repro") > "$out" 2>&1; then
    echo "generate: $repro no longer reproduces its finding; see $out"
    exit 1
  fi
done
echo "generate: conformance/results regenerated"
