#!/usr/bin/env bash
# `make bench`: every benchmark, each next to its alternatives in the same run.
#   bench/run.sh BUILD_DIR
# Results are printed; bench/RESULTS.md records them with machine and commit.
set -euo pipefail
build=${1:-build-bench}
here=$(cd "$(dirname "$0")" && pwd)
echo "== runtime: libnxpool vs glibc malloc vs mimalloc"
"$here/run-runtime.sh" "$build"
echo
echo "== scan: nxpool scan vs ripgrep on a generated driver-like corpus"
"$here/scan/run.sh" "$build/src/cli/nxpool"
if [[ -x "$here/scan/run-tree.sh" ]]; then
  echo
  echo "== scan: a real driver tree read through its build files (NXPOOL_BENCH_TREE)"
  if [[ -n "${NXPOOL_BENCH_TREE:-}" ]]; then
    "$here/scan/run-tree.sh" "$NXPOOL_BENCH_TREE" "$build/src/cli/nxpool"
  else
    echo "skipped: set NXPOOL_BENCH_TREE to a checkout of a driver tree (e.g. Windows-driver-samples)"
  fi
fi
