#!/usr/bin/env bash
# Line coverage of the reference (reference/src) under the published vectors alone: the
# reference adapter (`sipc adapter`), built with -C instrument-coverage, answers `sipc run`;
# only the adapter's profile is counted, not the runner's own use of the reference.
# A rule that no vector reaches (a default, an absent member, an untested branch) shows as a
# line with count 0. Needs rustup's llvm-tools component (llvm-profdata, llvm-cov).
#
#   bash vectors/coverage.sh            # the summary per file
#   bash vectors/coverage.sh --show     # and every line no vector reached
set -euo pipefail
cd "$(dirname "$0")/.."
sysroot=$(rustc --print sysroot)
tools="$sysroot/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
[ -x "$tools/llvm-cov" ] || rustup component add llvm-tools
target=target/coverage
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
RUSTFLAGS="-C instrument-coverage" cargo build -q -p sipc-conformance --target-dir "$target"
sipc="$target/debug/sipc"
LLVM_PROFILE_FILE="$out/runner-%p.profraw" "$sipc" run -q \
  --adapter "env LLVM_PROFILE_FILE=$out/adapter-%p.profraw $sipc adapter"
"$tools/llvm-profdata" merge -sparse "$out"/adapter-*.profraw -o "$out/adapter.profdata"
ignore='/.cargo/|rustc/|conformance/|vectors/'
"$tools/llvm-cov" report "$sipc" -instr-profile="$out/adapter.profdata" --ignore-filename-regex="$ignore"
if [ "${1:-}" = "--show" ]; then
  for file in $(cd reference/src && find . -name '*.rs' | sort); do
    lines=$("$tools/llvm-cov" show "$sipc" -instr-profile="$out/adapter.profdata" "reference/src/$file" \
      | grep -E '^ +[0-9]+\| +0\|' || true)
    [ -n "$lines" ] && printf '\n== reference/src/%s\n%s\n' "${file#./}" "$lines"
  done
fi
