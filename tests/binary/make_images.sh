#!/usr/bin/env bash
# Builds the test driver images (issue 14 "Test material") into OUTDIR:
#   <variant>_<arch>.sys for arch x64 and arm64, variants:
#     clean     NX-clean driver, default link          (no NX40xx warning)
#     rwe       clean, -section:.data,RWE               (NX4001)
#     init      DriverEntry in INIT, -section:INIT,RWE  (NX4001, INIT)
#     align     clean, -align:512                       (NX4002)
#     merge     clean, -merge:.rdata=.text              (NX4003)
#     straddle  a pointer across a page boundary        (NX4004)
#     legacy    executable-only APIs and constant executable requests (NX4005, NX4006)
# Tools: clang (x86_64/aarch64-pc-windows-msvc targets), llvm-dlltool, lld-link.
# When one is missing it writes OUTDIR/SKIPPED (the reason, for the tests'
# GTEST_SKIP) and exits 0; on success it writes OUTDIR/stamp.
set -euo pipefail
out=${1:?usage: make_images.sh OUTDIR}
src=$(cd "$(dirname "$0")/drivers" && pwd)
mkdir -p "$out"
cd "$out"
rm -f SKIPPED stamp
for t in clang llvm-dlltool lld-link; do
  if ! command -v "$t" >/dev/null; then
    echo "$t not found: the PE test images cannot be built (Debian: clang, lld, llvm)" > SKIPPED
    exit 0
  fi
done
for arch in x64 arm64; do
  case $arch in
    x64) triple=x86_64-pc-windows-msvc; dt=i386:x86-64 ;;
    arm64) triple=aarch64-pc-windows-msvc; dt=arm64 ;;
  esac
  llvm-dlltool -m $dt -d "$src/ntoskrnl.def" -l ntoskrnl_$arch.lib
  for c in clean legacy straddle init; do
    clang --target=$triple -c -O2 -ffreestanding -fno-builtin -fno-stack-protector -I"$src" "$src/$c.c" -o ${c}_$arch.obj
  done
  link() {  # link <name> <object> [options...]
    local name=$1 obj=$2
    shift 2
    lld-link -driver -subsystem:native -entry:DriverEntry -nodefaultlib -machine:$arch \
      "$@" -out:${name}_$arch.sys ${obj}_$arch.obj ntoskrnl_$arch.lib
  }
  link clean clean
  link rwe clean -section:.data,RWE
  link init init -section:INIT,RWE
  link align clean -align:512
  link merge clean -merge:.rdata=.text
  link straddle straddle
  link legacy legacy
done
touch stamp
