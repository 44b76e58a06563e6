#!/usr/bin/env bash
# Binary rules on real drivers nobody here wrote (issue 14): the 17 x86_64
# PE kernel drivers in Debian's libwine package.
#   bench/binary/run.sh BUILD_DIR
# Uses NXPOOL_WINE_DIR when set; otherwise downloads libwine with
# `apt-get download` into a temporary directory and extracts it there
# (never into the repository). Prints:
#   - the wall time of `nxpool scan` over all 17 (hyperfine when present,
#     else the median of 20 runs), and the profile phases of one run;
#   - the objdump comparison (tests/binary/wine_test.cpp with
#     NXPOOL_WINE_DIR set).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
nxpool=$build/src/cli/nxpool
tests=$build/tests/binary/nxpool_binary_tests
tmp=""
if [[ -z "${NXPOOL_WINE_DIR:-}" ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download libwine >/dev/null 2>&1 && dpkg-deb -x libwine_*.deb root) || {
    echo "skipped: could not download libwine (set NXPOOL_WINE_DIR to an extracted x86_64-windows directory)"
    exit 0
  }
  NXPOOL_WINE_DIR=$(dirname "$(find "$tmp/root" -path '*x86_64-windows/*.sys' | head -1)")
fi
export NXPOOL_WINE_DIR
cd "$NXPOOL_WINE_DIR"
drivers=(*.sys)
echo "${#drivers[@]} drivers, $(cat "${drivers[@]}" | wc -c) bytes, in $NXPOOL_WINE_DIR"
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 3 -r 30 -i "$nxpool scan ${drivers[*]}" 2>&1 | grep -E "Time|Range"
else
  times=()
  for _ in $(seq 20); do
    s=$(date +%s%N)
    "$nxpool" scan "${drivers[@]}" >/dev/null || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median of %d runs: %.1f ms (min %.1f, max %.1f)\n", NR, a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000}'
fi
/usr/bin/time -f "one run: %e s wall, %U s user, %S s sys, %M KB max RSS" "$nxpool" scan "${drivers[@]}" >/dev/null || true
NXPOOL_PROFILE=1 "$nxpool" scan "${drivers[@]}" 2>&1 >/dev/null | tr '\n' ' ' || true
echo
"$nxpool" scan "${drivers[@]}" | grep -v '\[NX4000\]' | sed 's/^/  /' || true
cd - >/dev/null
"$tests" --gtest_filter='Wine.*' 2>&1 | grep -E "OK|FAILED|SKIPPED|Failure|Expected|Which is" || true
