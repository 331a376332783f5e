#!/usr/bin/env bash
# Peers, side by side (issue "Performance", item 3):
#  1. verify throughput of the Rust reference, the Python adapter's implementation (sipc1.py)
#     and the Node adapter's implementation (sipc1.js) on the same envelopes, per payload size;
#  2. wall time of the full vector run (`sipc run --strict`) through each stdin adapter, and of
#     the TCP suite through each server.
# Usage: bash benches/peers.sh [SECONDS_PER_MEASUREMENT]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-3}"
OUT="target/peers"
mkdir -p "$OUT"

cargo build -q --release -p sipc-benches --bin peer_rust
cargo build -q --release -p sipc-conformance --bin sipc
PEER=target/release/peer_rust
SIPC=target/release/sipc

rate() { sed -n 's/^verifies_per_second=//p'; }

echo "## Verify throughput (envelopes per second, one core, fresh verifier per round)"
echo
echo "| payload | Rust reference | Python sipc1.py | Node sipc1.js | Rust / Python | Rust / Node |"
echo "|---:|---:|---:|---:|---:|---:|"
status=0
for size in 256 1024 65536; do
  count=$(( size >= 65536 ? 64 : 2000 ))
  dir="$OUT/envelopes-$size"
  "$PEER" write "$dir" "$size" "$count"
  rust=$("$PEER" verify "$dir" "$SECONDS_EACH" | rate)
  python=$(python3 benches/peers/verify_python.py "$dir" "$SECONDS_EACH" | rate)
  node=$(node benches/peers/verify_node.js "$dir" "$SECONDS_EACH" | rate)
  ratio_py=$(python3 -c "print(f'{$rust / $python:.1f}')")
  ratio_node=$(python3 -c "print(f'{$rust / $node:.1f}')")
  echo "| $size B | $rust | $python | $node | ${ratio_py}× | ${ratio_node}× |"
  if python3 -c "import sys; sys.exit(0 if min($ratio_py, $ratio_node) >= 10 else 1)"; then :; else
    status=1
  fi
done
echo
if [ "$status" = 0 ]; then
  echo "target: the reference verifies at least 10x faster than both peers at every size: met"
else
  echo "target: the reference verifies at least 10x faster than both peers at every size: NOT met"
fi

wall() { # label, then the command
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  if "$@" > "$OUT/run.log" 2>&1; then result=pass; else result="FAIL (see $OUT/run.log)"; fi
  end=$(date +%s.%N)
  printf '| %s | %.1f s | %s |\n' "$label" "$(echo "$end - $start" | bc)" "$result"
}

echo
echo "## Wall time of the full suite (sipc run --strict)"
echo
echo "| implementation | wall time | result |"
echo "|---|---:|---|"
wall "stdin: Rust reference (sipc adapter)" "$SIPC" run --strict --adapter "$SIPC adapter"
wall "stdin: Python sipc_adapter.py" "$SIPC" run --strict --adapter "python3 conformance/adapters/python/sipc_adapter.py"
wall "stdin: Node sipc_adapter.js" "$SIPC" run --strict --adapter "node conformance/adapters/node/sipc_adapter.js"
wall "TCP: Rust reference (sipc serve)" "$SIPC" run --strict --tcp-server "$SIPC serve --config {config}"
wall "TCP: Python sipc_server.py" "$SIPC" run --strict --tcp-server "python3 conformance/adapters/python/sipc_server.py --config {config}"
wall "TCP: Node sipc_server.js" "$SIPC" run --strict --tcp-server "node conformance/adapters/node/sipc_server.js --config {config}"
exit "$status"
