#!/usr/bin/env bash
# Every public header compiles on its own, warning-free under -pedantic, as
# C11 and as C++20, with GCC and Clang, in each opt-in mode.
# Usage: run_hygiene.sh INCLUDE_DIR
set -u
include=${1:?usage: run_hygiene.sh INCLUDE_DIR}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0 fail=0
for header in "$include"/nxpool/*.h "$include"/nxpool/compat/*.h; do
  rel=${header#"$include"/}
  [[ $rel == nxpool/sal.h ]] && body="int nxpool_hygiene_;" || body=""
  printf '#include <%s>\n%s\n' "$rel" "$body" >"$work/t.c"
  cp "$work/t.c" "$work/t.cpp"
  for cc in "gcc -std=c11" "clang -std=c11" "g++ -std=c++20" "clang++ -std=c++20"; do
    read -r -a cmd <<<"$cc"
    command -v "${cmd[0]}" >/dev/null || continue
    src="$work/t.c"; [[ ${cmd[0]} == *++ ]] && src="$work/t.cpp"
    for mode in "" -DPOOL_NX_OPTIN=1 -DPOOL_NX_OPTIN_AUTO=1 -DPOOL_NX_OPTOUT=1; do
      if "${cmd[@]}" $mode -Wall -Wextra -pedantic -Werror -I"$include" -c "$src" -o /dev/null 2>"$work/err"; then
        pass=$((pass + 1))
      else
        echo "FAIL $cc $mode $rel:"; sed 's/^/    /' "$work/err" | head -8; fail=$((fail + 1))
      fi
    done
  done
done
echo "header hygiene: $pass passed, $fail failed"
[[ $fail -eq 0 && $pass -gt 0 ]]
