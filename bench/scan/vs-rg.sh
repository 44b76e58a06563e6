#!/usr/bin/env bash
# Issue 15 "Scan at the speed of grep", measured in one run: nxpool against
# ripgrep on one tree (Windows-driver-samples; the generated corpus of
# gen_corpus.py when the tree is absent).
#   1. CPU (user+sys) and wall of `nxpool scan` and of `rg` searching the same
#      tree for the identifiers the scan looks for, at -j1 and -j2
#      (hyperfine, warm file cache, 1 warm-up);
#   2. per-phase times (NXPOOL_PROFILE: build files, scan, report; median);
#   3. peak RSS (GNU time) scanning 1, 2, 4 and 8 copies of the tree side by
#      side (hard-linked, so the copies cost no disk), and, from binaries
#      that print it, the peak once the build files are read;
# Prints the ratios the issue's targets are stated in.
#
#   bench/scan/vs-rg.sh [TREE_DIR] [NXPOOL_BINARY]
#
# Defaults: /tmp/trees/microsoft+Windows-driver-samples, build-bench/src/cli/nxpool.
# NXPOOL_BENCH_RUNS (default 5) runs per command; NXPOOL_BENCH_COPIES (default
# "1 2 4 8") the copy counts. Needs hyperfine, rg, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=${1:-/tmp/trees/microsoft+Windows-driver-samples}
bin=${2:-build-bench/src/cli/nxpool}
runs=${NXPOOL_BENCH_RUNS:-5}
copy_counts=${NXPOOL_BENCH_COPIES:-1 2 4 8}
[[ -x "$bin" ]] || { echo "no nxpool binary at $bin" >&2; exit 2; }
for tool in hyperfine rg python3; do
  command -v "$tool" > /dev/null || { echo "$tool not installed (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
if [[ ! -d "$tree" ]]; then
  tree=/tmp/nxpool-scan-corpus-20
  if [[ ! -f "$tree/.complete-20" ]]; then
    rm -rf "$tree"
    python3 "$here/gen_corpus.py" "$tree" 20 > /dev/null
    touch "$tree/.complete-20"
  fi
fi
tree=$(cd "$tree" && pwd)
tmp=$(mktemp -d)
copies=$(mktemp -d)
trap 'rm -rf "$tmp" "$copies"' EXIT
regex='NonPagedPool|ExAllocatePool|MmMapIoSpace|MmGetSystemAddressForMdlSafe|ExInitializeNPagedLookasideList|PAGE_EXECUTE|MmMapLockedPages'
bytes=$(find "$tree" -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) -printf '%s\n' | awk '{s+=$1} END {print s}')

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git -C "$here" rev-parse --short HEAD)"
echo "tree:    $tree, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB of C/C++"
echo "binary:  $bin"
cd "$tree"
hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$tmp/h.json" \
  -n "nxpool -j1" "$bin scan -j1 . > /dev/null" \
  -n "nxpool -j2" "$bin scan -j2 . > /dev/null" \
  -n "rg -j1" "rg -j1 -c '$regex' . > /dev/null" \
  -n "rg -j2" "rg -j2 -c '$regex' . > /dev/null" > /dev/null 2>&1

for _ in $(seq "$runs"); do
  { NXPOOL_PROFILE=1 "$bin" scan -j1 . 2>&1 > /dev/null || true; } | sed -n 's/^nxpool: \(.*\) \([0-9.]*\) s$/\1\t\2/p'
done > "$tmp/phases"

for n in $copy_counts; do
  for i in $(seq "$n"); do [[ -d "$copies/$n/c$i" ]] || { mkdir -p "$copies/$n"; cp -al "$tree" "$copies/$n/c$i"; }; done
  (cd "$copies/$n" && NXPOOL_PROFILE=1 /usr/bin/time -f '%M' -o "$tmp/rss$n" "$bin" scan . > /dev/null 2> "$tmp/prof$n" || true)
  echo "$n $(tail -n 1 "$tmp/rss$n")" >> "$tmp/rss"
  # Binaries that print it (NXPOOL_PROFILE): the peak when the build files are read.
  sed -n "s/^nxpool: peak RSS after build files: \([0-9]*\) KiB$/$n \1/p" "$tmp/prof$n" >> "$tmp/rss_build"
  rm -rf "$copies/$n"
done

touch "$tmp/rss_build"
python3 - "$tmp/h.json" "$tmp/phases" "$tmp/rss" "$tmp/rss_build" <<'PY'
import collections, json, statistics, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':12} {'wall s':>8} {'± sd':>7} {'cpu s':>8}")
for name, r in res.items():
    print(f"{name:12} {r['median']:8.3f} {r['stddev']:7.3f} {r['user'] + r['system']:8.3f}")
cpu = lambda n: res[n]["user"] + res[n]["system"]
rg_cpu = min(cpu("rg -j1"), cpu("rg -j2"))
print(f"CPU nxpool -j1 / rg (best of -j1, -j2): {cpu('nxpool -j1') / rg_cpu:.1f}x   (target <= 4x)")
print(f"wall nxpool -j2 / -j1: {res['nxpool -j2']['median'] / res['nxpool -j1']['median']:.2f}   (target <= 0.65)")
phases = collections.defaultdict(list)
for line in open(sys.argv[2]):
    what, secs = line.rstrip("\n").split("\t")
    phases[what].append(float(secs))
print("phases (-j1, median): " + ", ".join(f"{k} {statistics.median(v):.3f} s" for k, v in phases.items()))
rss = dict(tuple(map(int, l.split())) for l in open(sys.argv[3]))
print("peak RSS: " + ", ".join(f"{n}x {kb / 1024:.0f} MB" for n, kb in sorted(rss.items())))
top = max(rss)
print(f"peak RSS {top}x / 1x: {rss[top] / rss[1]:.2f}   (target at 8x <= 1.5)")
rss_build = dict(tuple(map(int, l.split())) for l in open(sys.argv[4]))
if rss_build:
    print("peak RSS when the build files are read: " +
          ", ".join(f"{n}x {kb / 1024:.0f} MB" for n, kb in sorted(rss_build.items())))
PY
