#!/usr/bin/env bash
# The analyzer and the headers must agree. For every combination of
# POOL_NX_OPTIN / POOL_NX_OPTIN_AUTO / POOL_NX_OPTOUT (unset, 0, 1, 2, and
# defined empty in a file), set on the command line, in the file above the
# include, or in the file below it, on x86, x64 and ARM64, this compiles a
# one-line driver file against nxpool's headers (which the header matrix
# checks against the spec) and asks `nxpool scan` for the same file's mode.
# Where the header stops with an #error, the scan must report the misuse
# (NX1004 for both opt-ins, NX1002 for an empty OPTOUT).
# Usage: run_crosscheck.sh NXPOOL_BINARY INCLUDE_DIR
set -u
nxpool=${1:?usage: run_crosscheck.sh NXPOOL_BINARY INCLUDE_DIR}
include=${2:?usage: run_crosscheck.sh NXPOOL_BINARY INCLUDE_DIR}
cc=$(command -v gcc || command -v clang || command -v cc)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0 fail=0
declare -A counts

values=(unset 0 1 2)
macros=(POOL_NX_OPTIN POOL_NX_OPTIN_AUTO POOL_NX_OPTOUT)

# The analyzer's verdict for one file, from `nxpool scan --format json` output
# in $2: its unit's mode, or the misuse rule the header's #error stands for.
verdict_of() {  # file-basename json-file expected
  local got
  got=$(grep "\"type\":\"unit\"" "$2" | grep -F "\"file\":\"$1\"" | grep -oE '"mode":"[a-z]+"' | head -1 | cut -d'"' -f4)
  if [[ $3 == NX100[24] ]] && grep "\"type\":\"finding\"" "$2" | grep -F "\"file\":\"$1\"" | grep -q "\"rule\":\"$3\""; then
    got=$3
  fi
  printf '%s' "$got"
}

n=0
for arch in x86 x64 arm64; do
  case $arch in x86) archdef=-D_X86_ ;; x64) archdef=-D_AMD64_ ;; arm64) archdef=-D_ARM64_ ;; esac
  for placement in cmdline before after; do
    dir="$work/$arch-$placement"; mkdir -p "$dir"
    cases=()  # "file|expected|defs" for this arch and placement
    for a in "${values[@]}"; do for b in "${values[@]}"; do for c in "${values[@]}" empty; do
      n=$((n + 1))
      vals=("$a" "$b" "$c")
      defs=() lines=()
      for i in 0 1 2; do
        [[ ${vals[$i]} == unset ]] && continue
        v=${vals[$i]}; [[ $v == empty ]] && v=""
        defs+=("-D${macros[$i]}=$v")
        lines+=("#define ${macros[$i]} $v")
      done
      name="case-$n.c"; src="$dir/$name"
      {
        [[ $placement == before ]] && printf '%s\n' "${lines[@]}"
        printf '#include <ntddk.h>\n'
        [[ $placement == after ]] && printf '%s\n' "${lines[@]}"
        printf 'const char *mode_of_this_file = NXPOOL_NX_MODE_NAME;\n'
        printf 'void *f(void) { return ExAllocatePoolWithTag(NonPagedPool, 16, 0x61626364); }\n'
      } >"$src"
      cmd=("$archdef")
      [[ $placement == cmdline ]] && cmd+=("${defs[@]}")
      # The header's verdict.
      if "$cc" -std=c11 -I"$include" -I"$include/nxpool/compat" "${cmd[@]}" -Wno-multichar \
           -S -o "$work/out.s" "$src" 2>"$work/err"; then
        expected=$(grep -A3 'mode_of_this_file' "$work/out.s" | grep -oE '"(none|auto|optin|optout)"' | tr -d '"' | head -1)
        [[ -z $expected ]] && expected=$(grep -oE '\.string\s+"(none|auto|optin|optout)"' "$work/out.s" | grep -oE '(none|auto|optin|optout)' | head -1)
      elif grep -q 'are both set' "$work/err"; then expected=NX1004
      elif grep -q 'POOL_NX_OPTOUT is defined with an empty value' "$work/err"; then expected=NX1002
      else expected="compile-error: $(head -1 "$work/err")"; fi
      counts[$expected]=$(( ${counts[$expected]:-0} + 1 ))
      cases+=("$name|$expected|${defs[*]}")
    done; done; done
    # The analyzer's verdicts. Definitions written in the files need one scan of
    # the whole directory; command-line definitions differ per file, so those
    # files are scanned one by one with their own -D options.
    if [[ $placement != cmdline ]]; then
      (cd "$dir" && "$nxpool" scan --arch "$arch" --format json . >"$work/scan.json" 2>&1)
    fi
    for entry in "${cases[@]}"; do
      IFS='|' read -r name expected defstr <<<"$entry"
      if [[ $placement == cmdline ]]; then
        scan=(--arch "$arch" --format json)
        # shellcheck disable=SC2206
        defs=($defstr)
        scan+=("${defs[@]/#-D/-D }")
        # shellcheck disable=SC2068
        (cd "$dir" && "$nxpool" scan ${scan[@]} "$name" >"$work/scan.json" 2>&1)
      fi
      got=$(verdict_of "$name" "$work/scan.json" "$expected")
      if [[ -n "$expected" && "$got" == "$expected" ]]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL $arch $placement ${defstr:-no macros}: header says '$expected', nxpool scan says '$got'"
      fi
    done
  done
done
for k in "${!counts[@]}"; do echo "  header verdict '$k': ${counts[$k]} cases"; done
echo "crosscheck: $pass passed, $fail failed"
[[ $fail -eq 0 && $pass -gt 0 ]]
