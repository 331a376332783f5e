#!/usr/bin/env bash
# cargo-mutants on the references (sipc-reference, sipc-profiles), configured by
# reference/mutants.toml; the last full run's figures are in reference/MUTANTS.md.
#
#   reference/mutants.sh full          every mutant (about 1 h 45 min on 2 cores)
#   reference/mutants.sh diff [BASE]   only the mutants in lines changed since BASE, by default
#                                      the commit at which every mutant was last settled
#                                      (reference/mutants.base)
#
# Exit status: 0 when every mutant is caught (or unviable), non-zero when one is missed or
# times out (cargo-mutants' own codes: 2 missed, 3 timeout, 4 the unmutated tree fails).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-diff}"
config=reference/mutants.toml
# A mutant of sipc-reference is judged by every crate built on it; one of sipc-profiles by its
# own tests and the vectors (sipc-reference does not use it).
reference=(-p sipc-reference --test-package sipc-reference --test-package sipc-profiles
  --test-package sipc-vectors)
profiles=(-p sipc-profiles --test-package sipc-profiles --test-package sipc-vectors)
case "$mode" in
  full)
    status=0
    mkdir -p target/mutants-full/reference target/mutants-full/profiles
    cargo mutants --config "$config" "${reference[@]}" -j 2 -o target/mutants-full/reference || status=$?
    cargo mutants --config "$config" "${profiles[@]}" -j 2 -o target/mutants-full/profiles || status=$?
    exit "$status"
    ;;
  diff)
    base="${2:-$(cat reference/mutants.base)}"
    mkdir -p target
    git diff "$base" -- reference/src reference/profiles/src > target/mutants.diff
    if ! grep -q '^@@' target/mutants.diff; then
      echo "mutants: the references are unchanged since $base; nothing to mutate"
      exit 0
    fi
    echo "mutants: the lines of the references changed since $base:"
    git diff --stat "$base" -- reference/src reference/profiles/src
    if ! cargo mutants --version >/dev/null 2>&1; then
      cargo install cargo-mutants --locked --version 25.3.1
    fi
    status=0
    for crate in reference profiles; do
      if ! grep -q "^+++ b/reference/$([ $crate = profiles ] && echo profiles/)src/" target/mutants.diff; then
        continue
      fi
      if [ $crate = reference ]; then args=("${reference[@]}"); else args=("${profiles[@]}"); fi
      mkdir -p "target/mutants-diff/$crate"
      # One job: a second would build the whole workspace again for the few mutants of a diff.
      cargo mutants --config "$config" "${args[@]}" --in-diff target/mutants.diff \
        -o "target/mutants-diff/$crate" || status=$?
    done
    exit "$status"
    ;;
  *)
    echo "usage: reference/mutants.sh full | diff [BASE]" >&2
    exit 2
    ;;
esac
