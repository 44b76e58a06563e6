#!/bin/sh
# Issue 12 "Safety": after `nxpool fix`, the fixed files still compile with
# GCC and Clang against nxpool's headers, the fix changed them (so the test
# compiles the new text, not the old), and a rescan has none of the fixed
# findings. Usage: run_compile.sh NXPOOL_BIN SOURCE_DIR [FIXTURE_DIR [SYMBOL]]
# With SYMBOL, the test is skipped (exit 77) while nxpool's headers do not
# declare it yet.
set -eu
bin=$1
src=$2
fixtures=${3:-$src/tests/fix/compile}
if [ $# -ge 4 ] && ! grep -rqE "\\<$4 *\\(" "$src/include/nxpool"; then
  echo "skipped: nxpool's headers do not declare $4 yet"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$fixtures/"*.c "$work/"
cd "$work"
for f in *.c; do cp "$f" "$f.orig"; done
"$bin" fix . 2> fix.log || { cat fix.log; exit 1; }
for f in *.c; do
  if cmp -s "$f" "$f.orig"; then echo "FAIL: $f was not changed by fix"; cat fix.log; exit 1; fi
  for cc in gcc clang; do
    command -v $cc > /dev/null || continue
    $cc -std=c11 -fsyntax-only -Wall -Wextra -Werror -Wno-multichar \
        -I"$src/include" -I"$src/include/nxpool/compat" "$f" || { echo "FAIL: $cc $f"; exit 1; }
  done
done
"$bin" scan . > rescan.txt || true
if grep -E 'NX2001|NX2003|NX2004|NX2005|NX3001' rescan.txt; then echo "FAIL: fixed findings remain"; exit 1; fi
echo "ok: fixed files compile with gcc and clang; rescan clean"
