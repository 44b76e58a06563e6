#!/usr/bin/env bash
# Output identity on real trees (issue 15 "Done when": byte-identical output
# on all 15 public trees). `save` records a binary's outputs as the oracle;
# `check` runs another binary on the same trees and compares byte for byte.
# Each tree is scanned from inside it (`cd TREE && nxpool scan .`), so the
# paths in the output do not depend on where the trees are checked out.
#
#   bench/scan/identity.sh save  NXPOOL_BINARY [BASELINE_DIR] [TREES_DIR]
#   bench/scan/identity.sh check NXPOOL_BINARY [BASELINE_DIR] [TREES_DIR]
#
# Defaults: /tmp/scan-baseline, /tmp/trees (one checkout per directory).
# Formats: text (default), json, sarif, and the --modes table
# (NXPOOL_IDENTITY_FORMATS="txt json sarif modes" to choose; NXPOOL_IDENTITY_TREES
# to name some trees). NXPOOL_IDENTITY_ARGS adds flags to every run (e.g. -j1).
# Exit status 1 when any output differs.
set -uo pipefail
mode=${1:?usage: identity.sh save|check NXPOOL_BINARY [BASELINE_DIR] [TREES_DIR]}
bin=${2:?usage: identity.sh save|check NXPOOL_BINARY [BASELINE_DIR] [TREES_DIR]}
base=${3:-/tmp/scan-baseline}
trees=${4:-/tmp/trees}
extra=${NXPOOL_IDENTITY_ARGS:-}
formats=${NXPOOL_IDENTITY_FORMATS:-txt json sarif modes}
[[ -x "$bin" ]] || { echo "no nxpool binary at $bin" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mkdir -p "$base"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A flags=([txt]="" [json]="--format json" [sarif]="--format sarif" [modes]="--modes")
bad=0
for tree in "$trees"/*/; do
  name=$(basename "$tree")
  if [[ -n "${NXPOOL_IDENTITY_TREES:-}" && " $NXPOOL_IDENTITY_TREES " != *" $name "* ]]; then continue; fi
  for ext in $formats; do
    # shellcheck disable=SC2086  # flags are words
    (cd "$tree" && "$bin" scan ${flags[$ext]} $extra . > "$tmp/out" 2> "$tmp/err"; echo "exit $?" >> "$tmp/err")
    cat "$tmp/err" >> "$tmp/out"
    if [[ "$mode" == save ]]; then
      cp "$tmp/out" "$base/$name.$ext"
    elif ! cmp -s "$tmp/out" "$base/$name.$ext"; then
      echo "DIFFERS: $name ($ext)"
      diff "$base/$name.$ext" "$tmp/out" | head -n 10
      bad=1
    fi
  done
  [[ "$mode" == save ]] && echo "saved: $name" || echo "checked: $name"
done
exit "$bad"
