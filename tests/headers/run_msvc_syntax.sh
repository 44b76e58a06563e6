#!/usr/bin/env bash
# The headers in MSVC mode (_MSC_VER, __declspec(selectany), __forceinline):
# clang-cl targeting x86-64 and ARM64 Windows checks a small driver file as
# C and as C++ in each opt-in mode, warnings as errors. No Windows SDK is
# needed: msvc-crt/ supplies the few CRT declarations the headers use.
# Usage: run_msvc_syntax.sh INCLUDE_DIR
set -u
include=${1:?usage: run_msvc_syntax.sh INCLUDE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
clcl=$(command -v clang-cl || command -v clang-cl-14 || true)
[[ -z "$clcl" ]] && { echo "SKIP: clang-cl not installed"; echo "msvc syntax: 0 passed, 0 failed"; exit 0; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat >"$work/drv.c" <<'SRC'
#include <ntddk.h>
static NPAGED_LOOKASIDE_LIST g_list;
NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(DriverObject);
  UNREFERENCED_PARAMETER(RegistryPath);
  ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
  ExInitializeNPagedLookasideList(&g_list, NULL, NULL, 0, 64, 'tseT', 0);
  PVOID p = ExAllocatePoolWithTag(NonPagedPool, 64, 'tseT');
  if (p == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  ExFreePool(p);
  return STATUS_SUCCESS;
}
SRC
pass=0 fail=0
for target in x86_64-pc-windows-msvc aarch64-pc-windows-msvc; do
  for lang in /TC /TP; do
    for mode in "" /DPOOL_NX_OPTIN=1 /DPOOL_NX_OPTIN_AUTO=1 /DPOOL_NX_OPTOUT=1; do
      if "$clcl" --target=$target /Zs /W4 /WX /wd4214 -Wno-multichar $lang $mode \
           /I"$here/msvc-crt" /I"$include" /I"$include/nxpool/compat" "$work/drv.c" 2>"$work/err"; then
        pass=$((pass + 1))
      else
        echo "FAIL $target $lang $mode:"; sed 's/^/    /' "$work/err" | head -8; fail=$((fail + 1))
      fi
    done
  done
done
echo "msvc syntax: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
