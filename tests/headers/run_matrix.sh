#!/usr/bin/env bash
# Runs matrix.txt: compiles probe.c with each row's definitions, as C and as
# C++, with GCC and Clang (whichever of them are installed; CI has both), and
# checks the probe's output or the compile error. Usage:
#   run_matrix.sh INCLUDE_DIR [TOOLCHAIN...]   toolchains: gcc:c clang:c gcc:c++ clang:c++
set -u
here=$(cd "$(dirname "$0")" && pwd)
include=${1:?usage: run_matrix.sh INCLUDE_DIR [TOOLCHAIN...]}
shift
toolchains=("$@")
[[ ${#toolchains[@]} -eq 0 ]] && toolchains=(gcc:c clang:c gcc:c++ clang:c++)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0
# What the opt-in must never change, in any mode (spec 1.3 "not rewritten",
# 3.1, 3.2, 3.4, 4): the probe's second line.
fixed="fixed exec=0 mustsucceed=2 mustsca=6 session=32 sessionca=36 base=0 baseca=4 paged=1 nx=512 nxca=516 low=0 normal=16 high=32 nxalloc=512 nxmap=0x40000000 flag_np=0x40 flag_npx=0x80"

compiler_for() {  # toolchain -> compiler command and language flags
  case "$1" in
    gcc:c)     echo "gcc -std=c11" ;;
    clang:c)   echo "clang -std=c11" ;;
    gcc:c++)   echo "g++ -std=c++20 -x c++" ;;
    clang:c++) echo "clang++ -std=c++20 -x c++" ;;
  esac
}

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; s="${s%"${s##*[![:space:]]}"}"; printf '%s' "$s"; }

for tc in "${toolchains[@]}"; do
  read -r -a cc <<<"$(compiler_for "$tc")"
  if ! command -v "${cc[0]}" >/dev/null; then
    echo "SKIP $tc: ${cc[0]} not installed"; skip=$((skip + 1)); continue
  fi
  common=(-I"$include" -I"$here" -Wall -Wextra -Wno-multichar -Wno-unused-function)
  if ! "${cc[@]}" "${common[@]}" -c "$here/recorder.c" -o "$work/recorder.o" 2>"$work/err"; then
    echo "FAIL $tc: recorder.c does not compile"; cat "$work/err"; fail=$((fail + 1)); continue
  fi
  while IFS= read -r line; do
    [[ -z "${line// }" || "$line" == \#* ]] && continue
    IFS='|' read -r name defs args expected <<<"$line"
    name=$(trim "$name"); defs=$(trim "$defs"); args=$(trim "$args"); expected=$(trim "$expected")
    read -r -a defv <<<"$defs"
    exe="$work/probe-$name"
    "${cc[@]}" "${common[@]}" "${defv[@]}" -c "$here/probe.c" -o "$exe.o" 2>"$work/err"
    rc=$?
    if [[ "$expected" == '!error '* ]]; then
      pattern=${expected#'!error '}
      if [[ $rc -ne 0 ]] && grep -Eq -- "$pattern" "$work/err"; then
        pass=$((pass + 1))
      else
        echo "FAIL $tc $name: expected a compile error matching /$pattern/, got rc=$rc:"
        sed 's/^/    /' "$work/err" | head -5; fail=$((fail + 1))
      fi
      continue
    fi
    if [[ $rc -ne 0 ]]; then
      echo "FAIL $tc $name: does not compile:"; sed 's/^/    /' "$work/err" | head -5
      fail=$((fail + 1)); continue
    fi
    if grep -q 'warning' "$work/err" && [[ "$name" != *auto-zero* ]]; then
      echo "FAIL $tc $name: unexpected warning:"; sed 's/^/    /' "$work/err" | head -5
      fail=$((fail + 1)); continue
    fi
    "${cc[0]}" "$exe.o" "$work/recorder.o" -o "$exe" || { fail=$((fail + 1)); continue; }
    read -r -a argv <<<"$args"
    out=$("$exe" "${argv[@]}")
    got=$(printf '%s\n' "$out" | sed 2d | paste -sd'|')
    line2=$(printf '%s\n' "$out" | sed -n 2p)
    if [[ "$line2" != "$fixed" ]]; then
      echo "FAIL $tc $name: a name the opt-in must not touch changed:"
      echo "    expected: $fixed"; echo "    got:      $line2"
      fail=$((fail + 1))
    elif [[ "$got" == "$expected" ]]; then
      pass=$((pass + 1))
    else
      echo "FAIL $tc $name ($defs, args '$args')"
      echo "    expected: $expected"
      echo "    got:      $got"
      fail=$((fail + 1))
    fi
  done <"$here/matrix.txt"
done

echo "header matrix: $pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 && $pass -gt 0 ]]
