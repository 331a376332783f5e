#!/usr/bin/env bash
# Runs the eight pinned libraries through their profile with their expectations files: exits
# non-zero if any test fails that is not listed, or a listed one now passes (FIXED), so that a
# library that changes behaviour shows up. Needs ./install.sh first.
# Usage: check.sh [SIPC]   (SIPC: the sipc binary; `cargo run -q -p sipc-conformance --` if absent)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."
sipc="${1:-cargo run -q --locked -p sipc-conformance --}"
py="$here/.venv/bin/python"
status=0
while read -r profile name command; do
  echo "== $name ($profile)"
  if ! $sipc run --profile "$profile" --adapter "$command" \
      --expectations "$here/expectations/$name.json" --quiet; then
    status=1
  fi
done <<EOF2
standard-webhooks py_standardwebhooks $py $here/py_standardwebhooks.py
standard-webhooks py_svix $py $here/py_svix.py
standard-webhooks node_standardwebhooks node $here/node_standardwebhooks.js
standard-webhooks node_svix node $here/node_svix.js
stripe py_stripe $py $here/py_stripe.py
stripe node_stripe node $here/node_stripe.js
github node_octokit_webhooks_methods node $here/node_octokit_webhooks_methods.js
slack py_slack_sdk $py $here/py_slack_sdk.py
EOF2
exit $status
