#!/usr/bin/env bash
# Scan throughput: `nxpool scan` on a generated driver-like tree (>= 50 MB),
# next to ripgrep searching the same tree for the identifiers the scan looks
# for. Prints MB/s and files/s from wall time, and MB/s per core from CPU
# time (user+sys), which is what the >= 50 MB/s-per-core target is about and
# what stays meaningful on a shared machine.
#
#   bench/scan/run.sh [NXPOOL_BINARY] [CORPUS_DIR] [MEGABYTES]
#
# Defaults: build-bench/src/cli/nxpool, /tmp/nxpool-scan-corpus, 60.
# Needs hyperfine and rg (scripts/install-deps.sh --bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build-bench/src/cli/nxpool}
corpus=${2:-/tmp/nxpool-scan-corpus}
mb=${3:-60}
runs=${NXPOOL_BENCH_RUNS:-5}
[[ -x "$bin" ]] || { echo "no nxpool binary at $bin" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
if [[ ! -f "$corpus/.complete-$mb" ]]; then
  rm -rf "$corpus"
  python3 "$here/gen_corpus.py" "$corpus" "$mb"
  touch "$corpus/.complete-$mb"
fi
bytes=$(find "$corpus" -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$corpus" -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) | wc -l)
regex='NonPagedPool|ExAllocatePool|MmMapIoSpace|MmGetSystemAddressForMdlSafe|ExInitializeNPagedLookasideList|PAGE_EXECUTE|MmMapLockedPages'
json=$(mktemp)
trap 'rm -f "$json"' EXIT
cd "$corpus"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git -C "$here" rev-parse --short HEAD)"
echo "corpus:  $corpus, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB in $files files"
hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$json" \
  -n "nxpool scan -j1" "$bin scan -j1 --format json . > /dev/null" \
  -n "nxpool scan -j2" "$bin scan -j2 --format json . > /dev/null" \
  -n "rg -j1 (7 identifiers)" "rg -j1 -c '$regex' . > /dev/null" \
  -n "rg -j2 (7 identifiers)" "rg -j2 -c '$regex' . > /dev/null" >/dev/null
python3 - "$json" "$bytes" "$files" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
b, f = int(sys.argv[2]), int(sys.argv[3])
print(f"{'command':26} {'wall s':>8} {'MB/s':>8} {'files/s':>9} {'cpu s':>8} {'MB/s/core':>10}")
for r in data["results"]:
    wall = r["median"]
    cpu = r["user"] + r["system"]
    print(f"{r['command']:26} {wall:8.3f} {b/1e6/wall:8.1f} {f/wall:9.0f} {cpu:8.3f} {b/1e6/cpu:10.1f}")
PY
