#!/usr/bin/env bash
# Instructions per alloc+free pair for nxpool, mimalloc and glibc, counted
# by callgrind inside pair_instructions.cpp's measured(): the difference
# between a run of 2N and of N pairs, divided by N, so warm-up and set-up
# cancel out.
#
#   bench/run-instructions.sh [BUILD_DIR]   (default build-bench)
set -euo pipefail
build=${1:-build-bench}
bin="$build/bench/runtime/nxpool_pair_instructions"
cmake --build "$build" --target nxpool_pair_instructions >/dev/null
count() {  # allocator pattern pairs -> instructions collected
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=measured \
    --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 | sed -n 's/.*Collected : //p'
}
n=100000
for pattern in lifo64 batch; do
  for a in nxpool mimalloc glibc; do
    one=$(count "$a" "$pattern" "$n")
    two=$(count "$a" "$pattern" $((2 * n)))
    echo "$pattern $a $(( (two - one) / n )) instructions/pair"
  done
done
