#!/usr/bin/env bash
# Installs this build into a temporary prefix, then builds a consumer project
# against the installed CMake package and against nxpool.pc, and checks that
# nxpool_opt_in/nxpool_opt_out did what they say and refuse misuse.
# Usage: run_consumer.sh BUILD_DIR [C_COMPILER [EXTRA_FLAGS]]
#   C_COMPILER and EXTRA_FLAGS (e.g. -fsanitize=address) are those the
#   installed library was built with, so a sanitizer build's consumer links.
set -u
build=${1:?usage: run_consumer.sh BUILD_DIR [C_COMPILER [EXTRA_FLAGS]]}
ccomp=${2:-cc}
extra=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
for f in lib/cmake/nxpool/nxpoolConfig.cmake lib/pkgconfig/nxpool.pc include/nxpool/wdm.h \
         include/nxpool/compat/ntddk.h; do
  [[ -f "$work/prefix/$f" ]] && ok || bad "install: $f missing"
done

# Docs and the man page are installed, and the man page names every option
# `nxpool <command> --help` lists (it is written by hand: this keeps it true).
for f in share/man/man1/nxpool.1 share/doc/nxpool/LICENSE share/doc/nxpool/mechanism.md \
         share/doc/nxpool/json-lines.md share/doc/nxpool/rules/NX2001.md; do
  [[ -f "$work/prefix/$f" ]] && ok || bad "install: $f missing"
done
if [[ -x "$work/prefix/bin/nxpool" ]]; then
  for cmd in scan rules fix; do
    "$work/prefix/bin/nxpool" help "$cmd" >"$work/help.txt" 2>/dev/null || continue  # not a command (yet)
    grep -q "^\.B $cmd\b\|^\.B nxpool $cmd\b" "$work/prefix/share/man/man1/nxpool.1" && ok || bad "man page lacks command '$cmd'"
    for opt in $(grep -o -- '--[a-z][a-z-]*' "$work/help.txt" | sort -u); do
      [[ "$opt" == --help ]] && continue
      grep -qF -- "${opt//-/\\-}" "$work/prefix/share/man/man1/nxpool.1" && ok || bad "man page lacks $cmd option $opt"
    done
  done
fi

# Link-only flags (-l..., -fsanitize-link-...) stay out of the compile step:
# Clang warns that they are unused there, and the consumer builds with -Werror.
compile_extra=""
for f in $extra; do
  case "$f" in -l*|-fsanitize-link-*) ;; *) compile_extra+=" $f" ;; esac
done
consumer_flags=(-DCMAKE_C_COMPILER="$ccomp" -DCMAKE_C_FLAGS="$compile_extra" -DCMAKE_EXE_LINKER_FLAGS="$extra")
cmake -S "$here/consumer" -B "$work/c" -DCMAKE_PREFIX_PATH="$work/prefix" "${consumer_flags[@]}" >"$work/cfg.log" 2>&1 \
  && cmake --build "$work/c" >"$work/build.log" 2>&1 || { cat "$work/cfg.log" "$work/build.log"; exit 1; }
got=$("$work/c/consumer")
[[ "$got" == "nx_file=auto:0 exec_file=optout:1" ]] && ok || bad "consumer printed '$got'"

check_misuse() {  # kind expected-message
  if cmake -S "$here/consumer" -B "$work/m-$1" -DCMAKE_PREFIX_PATH="$work/prefix" "${consumer_flags[@]}" \
       -DCONSUMER_MISUSE="$1" >"$work/m.log" 2>&1; then
    bad "misuse '$1' configured without an error"
  elif grep -q "$2" "$work/m.log"; then ok
  else bad "misuse '$1': message lacks '$2'"; sed 's/^/    /' "$work/m.log" | head; fi
}
check_misuse not-a-source "is not a source of target 'consumer'"
check_misuse two-modes "already opted in as AUTO"
check_misuse bad-mode "mode must be AUTO or RUNTIME"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
if flags=$(pkg-config --cflags --libs nxpool); then
  # shellcheck disable=SC2086
  if "$ccomp" $extra -Wall -Wextra -Werror "$here/consumer/pkgconfig_user.c" $flags -o "$work/pc" 2>"$work/pc.log"; then
    got=$("$work/pc")
    [[ "$got" == "pkg-config user: executable=0" ]] && ok || bad "pkg-config user printed '$got'"
  else bad "pkg-config build failed: $(cat "$work/pc.log")"; fi
else bad "pkg-config does not know nxpool"; fi

echo "package: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
