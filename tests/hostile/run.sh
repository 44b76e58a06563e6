#!/usr/bin/env bash
# Hostile-input regression cases (issue 10). One case per invocation:
#   run.sh NXPOOL CASE
# Each case builds its own small input in a temporary directory, runs
# `nxpool scan` under a time and memory ceiling (timeout, ulimit -v), and
# checks the exact outcome: diagnostic lines, exit status, and that the
# neighbouring good file was still reported. The ceilings are the runner's,
# never a timing assertion. NXPOOL_HOSTILE_NOLIMIT=1 (sanitizer builds, whose
# shadow memory needs terabytes of address space) drops the memory ceiling.
# With NXPOOL_HOSTILE_PEAK=FILE the peak RSS of each run is appended there.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$2
MEM_KB=${NXPOOL_HOSTILE_MEM_KB:-1048576}   # 1 GiB of address space
TIME_S=${NXPOOL_HOSTILE_TIME_S:-60}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1

fail() { echo "FAIL [$CASE]: $*"; echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt; exit 1; }

# run ARGS...: nxpool with the ceilings; RC, out.txt, err.txt.
run() {
  local limit="ulimit -v $MEM_KB;"
  [ "${NXPOOL_HOSTILE_NOLIMIT:-0}" = 1 ] && limit=""
  local timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o peak.txt)
  bash -c "$limit exec timeout -k 5 $TIME_S \"\$@\"" run "${timer[@]}" "$NX" "$@" >out.txt 2>err.txt
  RC=$?
  [ "$RC" = 124 ] || [ "$RC" = 137 ] && fail "time ceiling (${TIME_S}s) exceeded"
  if [ -s peak.txt ] && [ -n "${NXPOOL_HOSTILE_PEAK:-}" ]; then
    echo "$CASE $(tail -1 peak.txt) KB" >>"$NXPOOL_HOSTILE_PEAK"
  fi
  return 0
}
expect_rc() { [ "$RC" = "$1" ] || fail "exit status $RC, expected $1"; }
# The text report puts findings on stdout and input errors on stderr: a
# line of the report may be in either, and leaked text must be in neither.
has() { cat out.txt err.txt | grep -qxF -- "$1" || fail "missing line: $1"; }
lacks() { ! cat out.txt err.txt | grep -qF -- "$1" || fail "unexpected text: $1"; }
has_err() { grep -qxF -- "$1" err.txt || fail "missing stderr line: $1"; }

# tree/good.c: one known finding that must survive whatever its neighbours do.
GOOD="tree/good.c:2:38: note: 'NonPagedPoolExecute' explicitly requests executable memory, which memory integrity (HVCI) refuses [NX2002]"
good() {
  mkdir -p tree
  printf '#include <wdm.h>\nvoid f(void) { ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 1); }\n' >tree/good.c
}
project() {  # project FILE BODY...: a minimal .vcxproj around BODY
  # A kernel driver (ConfigurationType Driver): a project that says nothing is
  # an application, user-mode code with no NX pool findings.
  printf '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n%s\n  <ItemGroup><ClCompile Include="good.c"/></ItemGroup>\n  <PropertyGroup><ConfigurationType>Driver</ConfigurationType></PropertyGroup>\n</Project>\n' "$2" >"$1"
}

. "$HERE/cases.sh"
if ! declare -F "case$CASE" >/dev/null; then echo "unknown case $CASE"; exit 1; fi
"case$CASE"
echo "PASS [$CASE]"
