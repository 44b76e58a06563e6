#!/usr/bin/env bash
# End-to-end checks of the installed-shape CLI on small trees.
# Usage: run_e2e.sh NXPOOL_BINARY
set -u
nxpool=${1:?usage: run_e2e.sh NXPOOL_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
check() {  # name expected actual
  if [[ "$2" == "$3" ]]; then pass=$((pass + 1)); else
    echo "FAIL $1"; echo "    expected: $2"; echo "    got:      $3"; fail=$((fail + 1)); fi
}
units() { grep '"type":"unit"' | grep -oE '"file":"[^"]*","mode":"[a-z]+"' | sort | paste -sd' '; }

# -p with a path scans only the build file's units under that path (the
# compile_commands.json has entries for drv/ and other/).
cd "$here/compdb_filter" || exit 1
check "compdb: path restricts units" '"file":"drv/a.c","mode":"auto"' \
  "$("$nxpool" scan --format json -p compile_commands.json drv | units)"
check "compdb: no path scans every entry" '"file":"drv/a.c","mode":"auto" "file":"other/b.c","mode":"none"' \
  "$("$nxpool" scan --format json -p compile_commands.json | units)"
"$nxpool" scan -p compile_commands.json drv >/dev/null; check "compdb: AUTO file is clean" 0 $?
"$nxpool" scan -p compile_commands.json other >/dev/null; check "compdb: executable pool found" 1 $?

# A /Yu source outside the project directory still gets the project's
# precompiled header, and with it the opt-in that header defines.
cd "$here/pch_outside" || exit 1
check "pch: source outside the project dir gets the PCH" '"file":"outer.c","mode":"optin" "file":"proj/pch.c","mode":"optin"' \
  "$("$nxpool" scan --format json . | units)"

# A definition that is no macro name is reported at the build file, once,
# and the rest of the definitions still apply.
cd "$here/bad_define" || exit 1
out=$("$nxpool" scan --format text . 2>&1); rc=$?
check "bad define: one warning at the project line" \
  "drv.vcxproj:12:7: warning: '/wd4996' is not a macro name: the compiler rejects it and it defines nothing" \
  "$(printf '%s\n' "$out" | grep 'not a macro name')"
check "bad define: exit status clean" 0 "$rc"
check "bad define: the other definition applies" '"file":"drv.c","mode":"auto"' \
  "$("$nxpool" scan --format json . 2>/dev/null | units)"

echo "e2e: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
