#!/bin/sh
# Issue 12 "Safety": after `nxpool fix`, the fixed files still compile with
# GCC and Clang against nxpool's headers, the fix changed them (so the test
# compiles the new text, not the old), and a rescan has none of the fixed
# findings. Usage: run_compile.sh NXPOOL_BIN SOURCE_DIR [FIXTURE_DIR [SYMBOL]]
# With SYMBOL, the test is skipped (exit 77) while nxpool's headers do not
# declare it yet. A fixture's .nxpool.toml is copied too; NXPOOL_FIX_ARGS
# is passed to both fix and the rescan. With NXPOOL_RUNTIME_LIB (libnxpool),
# each fixed file is also linked with a host that calls its DriverEntry,
# which must return STATUS_SUCCESS. A sanitizer build's library links only
# with the compiler that built it (NXPOOL_RUNTIME_CC: gcc or clang) and its sanitizer flags
# (NXPOOL_RUNTIME_FLAGS).
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
if [ -f "$fixtures/.nxpool.toml" ]; then cp "$fixtures/.nxpool.toml" "$work/"; fi
cd "$work"
for f in *.c; do cp "$f" "$f.orig"; done
# shellcheck disable=SC2086
"$bin" fix ${NXPOOL_FIX_ARGS:-} . 2> fix.log || { cat fix.log; exit 1; }
for f in *.c; do
  if cmp -s "$f" "$f.orig"; then echo "FAIL: $f was not changed by fix"; cat fix.log; exit 1; fi
  for cc in gcc clang; do
    command -v $cc > /dev/null || continue
    $cc -std=c11 -fsyntax-only -Wall -Wextra -Werror -Wno-multichar \
        -I"$src/include" -I"$src/include/nxpool/compat" "$f" || { echo "FAIL: $cc $f"; exit 1; }
    if [ -n "${NXPOOL_RUNTIME_LIB:-}" ] && { [ -z "${NXPOOL_RUNTIME_CC:-}" ] || [ "$NXPOOL_RUNTIME_CC" = $cc ]; }; then
      mkdir -p host
      printf '#include <ntddk.h>\n#include <string.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING);\n%s\n' \
        'int main(void) { DRIVER_OBJECT d; memset(&d, 0, sizeof d); return NT_SUCCESS(DriverEntry(&d, NULL)) ? 0 : 1; }' \
        > host/host.c
      # shellcheck disable=SC2086
      $cc -std=c11 ${NXPOOL_RUNTIME_FLAGS:-} -Wno-multichar -I"$src/include" -I"$src/include/nxpool/compat" "$f" host/host.c \
          "$NXPOOL_RUNTIME_LIB" -lstdc++ -lpthread -ldl -lm -o host/run || { echo "FAIL: $cc could not link $f"; exit 1; }
      ./host/run || { echo "FAIL: $f: DriverEntry failed after the fix (built with $cc)"; exit 1; }
    fi
  done
done
# shellcheck disable=SC2086
"$bin" scan ${NXPOOL_FIX_ARGS:-} . > rescan.txt || true
if grep -E 'NX2001|NX2003|NX2004|NX2005|NX3001|NX3004' rescan.txt; then echo "FAIL: fixed findings remain"; exit 1; fi
echo "ok: fixed files compile with gcc and clang; rescan clean"
