#!/usr/bin/env bash
# Whole-tree scan through the build files (issue 4 "Done when": the
# Windows-driver-samples-sized tree read and scanned in under 5 s on this
# 2-core machine). hyperfine runs `nxpool scan TREE` with a warm file cache
# (1 warm-up, >= 5 runs) and this prints wall mean ± sd, user+sys CPU, max
# RSS, and what was analysed: build files under the tree, translation units
# (file x configuration), findings, input errors. With NXPOOL_PROFILE the
# binary times its phases; the build-reader-only time is the median of the
# "build files" phase over the same number of runs.
#
#   bench/scan/run-tree.sh TREE_DIR [NXPOOL_BINARY]
#
# Defaults: build-bench/src/cli/nxpool. A missing TREE_DIR is skipped with a
# message (exit 0): the real trees are not part of the repository.
# Needs hyperfine (scripts/install-deps.sh --bench) and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=${1:?usage: run-tree.sh TREE_DIR [NXPOOL_BINARY]}
bin=${2:-build-bench/src/cli/nxpool}
runs=${NXPOOL_BENCH_RUNS:-5}
if [[ ! -d "$tree" ]]; then
  echo "skipped: no tree at $tree"
  exit 0
fi
[[ -x "$bin" ]] || { echo "no nxpool binary at $bin" >&2; exit 2; }
command -v hyperfine > /dev/null || { echo "hyperfine not installed (scripts/install-deps.sh --bench)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tree=$(cd "$tree" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tree"

# The build files discovery looks at (hidden directories are not walked).
build_files=$(find . -mindepth 1 -name '.*' -prune -o -type f \( -iname '*.sln' -o -iname '*.vcxproj' -o -iname '*.props' \
  -o -iname '*.targets' -o -name sources -o -name dirs -o -name project.mk -o -name compile_commands.json \) -print | wc -l)
projects=$(find . -mindepth 1 -name '.*' -prune -o -type f -iname '*.vcxproj' -print | wc -l)
# Counts from one JSON Lines run (exit status 1 = findings, 2 = input errors).
"$bin" scan --format json . > "$tmp/out.jsonl" || true
read -r units findings errors < <(python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
n = {"unit": 0, "finding": 0, "error": 0}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    j = json.loads(line)
    t = j.get("type")
    if t == "error" and j.get("severity") != "error":
        continue  # notes and warnings about inputs
    n[t] = n.get(t, 0) + 1
print(n["unit"], n["finding"], n["error"])
PY
)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git -C "$here" rev-parse --short HEAD)"
echo "tree:    $tree ($(git -C "$tree" rev-parse --short HEAD 2> /dev/null || echo 'not a git checkout'))"
echo "input:   $build_files build files ($projects .vcxproj), $units translation units, $findings findings, $errors input errors"
echo "command: $bin scan $tree   (hyperfine: cwd $tree, 1 warm-up, $runs runs, output to /dev/null)"

hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$tmp/h.json" \
  -n "nxpool scan ." "$bin scan . > /dev/null" 2>&1 | grep -v -e 'Ignoring non-zero exit code' -e '^ *$' || true
# Max RSS: hyperfine does not report it; one more run under GNU time.
/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" scan . > /dev/null 2>&1 || true
# Build readers alone: the "build files" phase of NXPOOL_PROFILE=1.
for _ in $(seq "$runs"); do
  { NXPOOL_PROFILE=1 "$bin" scan . 2>&1 > /dev/null || true; } | sed -n 's/^nxpool: build files \([0-9.]*\) s$/\1/p'
done > "$tmp/readers"

python3 - "$tmp/h.json" "$(tail -n 1 "$tmp/rss")" "$tmp/readers" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
rss_mb = int(sys.argv[2]) / 1024
readers = sorted(float(x) for x in open(sys.argv[3]) if x.strip())
print(f"wall:    {r['mean']:.3f} s ± {r['stddev']:.3f} (mean ± sd of {len(r['times'])} runs; "
      f"min {r['min']:.3f}, max {r['max']:.3f})")
print(f"cpu:     {r['user'] + r['system']:.3f} s (user {r['user']:.3f} + sys {r['system']:.3f}, mean)")
print(f"max rss: {rss_mb:.1f} MB")
if readers:
    print(f"build readers only: {statistics.median(readers):.3f} s (median of {len(readers)}, NXPOOL_PROFILE)")
PY
