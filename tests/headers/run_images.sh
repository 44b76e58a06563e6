#!/usr/bin/env bash
# Multi-file and multi-image behaviour of the OPTIN globals (spec 1.4, 1.5):
#  - ExInitializeDriverRuntime works only from a file that is itself OPTIN;
#  - the globals are one per image, shared by that image's C and C++ files;
#  - a shared object (the export-driver/DLL case) has its own copy.
# Usage: run_images.sh INCLUDE_DIR [gcc|clang]...
set -u
here=$(cd "$(dirname "$0")" && pwd)
include=${1:?usage: run_images.sh INCLUDE_DIR [gcc|clang]...}
shift
compilers=("$@"); [[ ${#compilers[@]} -eq 0 ]] && compilers=(gcc clang)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0 fail=0

check() {  # name expected actual
  if [[ "$2" == "$3" ]]; then pass=$((pass + 1)); else
    echo "FAIL $cc $1: expected '$2', got '$3'"; fail=$((fail + 1)); fi
}

for cc in "${compilers[@]}"; do
  case $cc in gcc) cxx=g++ ;; clang) cxx=clang++ ;; esac
  command -v "$cc" >/dev/null || { echo "SKIP $cc"; continue; }
  flags=(-I"$include" -I"$here" -I"$here/image" -fPIC -Wall -Wno-multichar -Wno-unused-function)
  "$cc" -std=c11 "${flags[@]}" -c "$here/recorder.c" -o "$work/rec.o" || exit 1
  "$cc" -std=c11 "${flags[@]}" -c "$here/image/main.c" -o "$work/main.o" || exit 1
  "$cc" -std=c11 "${flags[@]}" -DWITH_DSO -c "$here/image/main.c" -o "$work/main-dso.o" || exit 1

  # build IMG LANG-of-type-unit INIT-DEFS TYPE-DEFS -> $work/IMG-init.o $work/IMG-type.o
  build() {
    local img=$1 lang=$2 initdefs=$3 typedefs=$4
    # shellcheck disable=SC2086
    "$cc" -std=c11 "${flags[@]}" -DIMG=$img $initdefs -c "$here/image/unit_init.c" -o "$work/$img-init.o" || return 1
    if [[ $lang == c++ ]]; then
      # shellcheck disable=SC2086
      "$cxx" -std=c++20 -x c++ "${flags[@]}" -DIMG=$img $typedefs -c "$here/image/unit_type.c" -o "$work/$img-type.o"
    else
      # shellcheck disable=SC2086
      "$cc" -std=c11 "${flags[@]}" -DIMG=$img $typedefs -c "$here/image/unit_type.c" -o "$work/$img-type.o"
    fi
  }
  exe() { "$cxx" "$work/main.o" "$work/exe-init.o" "$work/exe-type.o" "$work/rec.o" -o "$work/t" && "$work/t" "$@"; }

  build exe c "" "-DPOOL_NX_OPTIN=1"
  check init-in-file-without-optin "exe=0" "$(exe exe_init)"
  build exe c "-DPOOL_NX_OPTIN=1" "-DPOOL_NX_OPTIN=1"
  check init-in-optin-file "exe=512" "$(exe exe_init)"
  check no-init-call "exe=0" "$(exe)"
  build exe c "-DPOOL_NX_OPTIN=1 -DPOOL_NX_OPTOUT=1" "-DPOOL_NX_OPTIN=1"
  check init-in-opted-out-file "exe=0" "$(exe exe_init)"
  build exe c "-DPOOL_NX_OPTIN_AUTO=1" "-DPOOL_NX_OPTIN=1"
  check init-in-auto-file "exe=0" "$(exe exe_init)"
  build exe c++ "-DPOOL_NX_OPTIN=1" "-DPOOL_NX_OPTIN=1"
  check c-and-cxx-share-the-global "exe=512" "$(exe exe_init)"

  # Two images: the executable and a shared object, both OPTIN.
  build exe c "-DPOOL_NX_OPTIN=1" "-DPOOL_NX_OPTIN=1"
  build dso c "-DPOOL_NX_OPTIN=1" "-DPOOL_NX_OPTIN=1"
  "$cc" -shared "$work/dso-init.o" "$work/dso-type.o" -o "$work/libdso.so" || exit 1
  "$cxx" "$work/main-dso.o" "$work/exe-init.o" "$work/exe-type.o" "$work/rec.o" \
      -L"$work" -ldso -Wl,-rpath,"$work" -o "$work/t2" || exit 1
  check per-image-exe-only "exe=512 dso=0" "$("$work/t2" exe_init)"
  check per-image-dso-only "exe=0 dso=512" "$("$work/t2" dso_init)"
  check per-image-both "exe=512 dso=512" "$("$work/t2" exe_init dso_init)"
done

echo "header images: $pass passed, $fail failed"
[[ $fail -eq 0 && $pass -gt 0 ]]
