#!/usr/bin/env bash
# Runs the runtime allocator benchmarks (bench/runtime/pool_bench.cpp) and
# prints a summary table: median CPU ns per alloc+free pair over the
# repetitions, and the ratios the issue's targets are stated in.
#
#   bench/run-runtime.sh [BUILD_DIR] [extra google-benchmark flags...]
#
# BUILD_DIR defaults to build-bench (what `make bench` configures); it must be
# configured with -DNXPOOL_BUILD_BENCHMARKS=ON and a Release build type.
set -euo pipefail
build=${1:-build-bench}
shift || true
bin="$build/bench/runtime/nxpool_runtime_bench"
cmake --build "$build" --target nxpool_runtime_bench >/dev/null
json=$(mktemp)
trap 'rm -f "$json"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs; commit $(git -C "$(dirname "$0")" rev-parse --short HEAD)"
"$bin" --benchmark_repetitions="${NXPOOL_BENCH_REPS:-5}" --benchmark_min_time="${NXPOOL_BENCH_MIN_TIME:-0.3}" \
  --benchmark_format=json --benchmark_out="$json" --benchmark_out_format=json "$@" >/dev/null
python3 - "$json" <<'PY'
import json, statistics, sys, collections
data = json.load(open(sys.argv[1]))
runs = collections.defaultdict(list)
counters = {}
for b in data["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    name = b["run_name"]
    per = 1000 if name.startswith("Batch1000") else 1
    threads = b.get("threads", 1)
    # CPU time per iteration is per thread; real time (UseRealTime) is wall.
    runs[name].append((b["cpu_time"] / per, b["real_time"] / per, b.get("items_per_second", 0)))
    for k in ("fresh_resident_per_live_byte", "churned_resident_per_live_byte", "reserved_per_live_byte"):
        if k in b:
            counters.setdefault(name, {})[k] = b[k]
def med(name, i):
    return statistics.median(r[i] for r in runs[name])
print(f"{'benchmark':48} {'cpu ns/pair':>12} {'Mitems/s':>10}")
for name in runs:
    if name in counters:
        print(f"{name:48} " + "  ".join(f"{k}={v:.3f}" for k, v in counters[name].items()))
    else:
        print(f"{name:48} {med(name, 0):12.2f} {med(name, 2) / 1e6:10.1f}")
def ratio(a, b):
    if a in runs and b in runs:
        return med(a, 0) / med(b, 0)
print("\ntargets:")
for size in (16, 32, 64, 128, 256):
    r = ratio(f"Lifo<Nxpool>/{size}", f"Lifo<Mimalloc>/{size}")
    if r: print(f"  LIFO {size:>3} B  nxpool / mimalloc = {r:.2f}  (target <= 1.5)")
r = ratio("Batch1000<Nxpool>/real_time/threads:1", "Batch1000<Mimalloc>/real_time/threads:1")
if r: print(f"  batch 16-256 B nxpool / mimalloc = {r:.2f}  (target <= 1.5)")
r = ratio("Batch1000<Nxpool>/real_time/threads:1", "Batch1000<Glibc>/real_time/threads:1")
if r: print(f"  batch nxpool / glibc = {r:.2f}  (target < 1)")
one, two = "Batch1000<Nxpool>/real_time/threads:1", "Batch1000<Nxpool>/real_time/threads:2"
if one in runs and two in runs:
    print(f"  batch 2-thread / 1-thread throughput = {med(two, 2) / med(one, 2):.2f}  (target >= 1.7; wall clock, needs 2 idle CPUs)")
PY
