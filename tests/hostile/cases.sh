# Cases of tests/hostile/run.sh, one function per issue 10 item (caseNN_*).
# Sourced by run.sh; helpers: good, project, run, expect_rc, has, lacks, has_err.

# --- item 1: build files cannot read outside the tree ----------------------
case01_readalltext() {
  good
  project tree/a.vcxproj '  <PropertyGroup><X>$([System.IO.File]::ReadAllText('"'"'/etc/hostname'"'"'))</X></PropertyGroup>'
  run scan tree
  expect_rc 2
  has "tree/a.vcxproj:2:18: error: [System.IO.File]::ReadAllText of '/etc/hostname': outside the scanned tree (allow it with --allow-read DIR); it expands to nothing"
  has "$GOOD"
}
case01_import_outside() {
  good
  mkdir -p outside && echo '<Project/>' >outside/x.props
  project tree/a.vcxproj "  <Import Project=\"/etc/*.props\"/>
  <Import Project=\"$PWD/outside/x.props\"/>"
  run scan tree
  expect_rc 2
  has 'tree/a.vcxproj:2:3: error: imported project "/etc/*.props" is outside the scanned tree (allow it with --allow-read DIR); a.vcxproj is read without this import'
  has "tree/a.vcxproj:3:3: error: imported project \"$PWD/outside/x.props\" is outside the scanned tree (allow it with --allow-read DIR); a.vcxproj is read without this import"
  has "$GOOD"
  # --allow-read lets the same import in.
  run scan --allow-read outside tree
  expect_rc 2
  lacks "$PWD/outside/x.props"
}
case01_symlink_out() {
  good
  mkdir -p outside && printf '<Project><ItemDefinitionGroup><ClCompile><PreprocessorDefinitions>POOL_NX_OPTIN=1</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup></Project>\n' >outside/x.props
  ln -s ../outside/x.props tree/link.props
  project tree/a.vcxproj '  <Import Project="link.props"/>'
  run scan tree
  expect_rc 2
  has "tree/a.vcxproj:2:3: error: imported project \"link.props\" is outside the scanned tree (allow it with --allow-read DIR); a.vcxproj is read without this import"
  has "$GOOD"
}
case01_environment() {
  good
  project tree/a.vcxproj '  <ItemDefinitionGroup><ClCompile><PreprocessorDefinitions>POOL_NX_OPTIN=$(NX_SECRET)</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>'
  NX_SECRET=1 run scan --modes tree
  lacks "POOL_NX_OPTIN=1"
  has "  good.c  none [1]"
  NX_SECRET=1 run scan --modes --allow-env NX_SECRET tree
  grep -q "good.c  optin" out.txt || fail "--allow-env NX_SECRET did not expose the variable"
}

# --- item 2: -o is safe, write errors are exit 2 ------------------------------
case02_output_device() {
  good
  run scan tree -o /dev/full
  expect_rc 2
  has_err "nxpool: error: cannot write /dev/full: No space left on device"
  [ -c /dev/full ] || fail "/dev/full is no longer a character device"
}
case02_output_directory() {
  good
  mkdir out.d
  run scan tree -o out.d
  expect_rc 2
  has_err "nxpool: error: cannot write out.d: Is a directory"
  [ -d out.d ] || fail "directory replaced"
}
case02_output_fifo() {
  good
  mkfifo pipe
  cat pipe >from_pipe.txt &
  run scan tree -o pipe
  # If nxpool never opened the FIFO, cat still waits for a writer: release it.
  [ "$RC" = 0 ] || kill %1 2>/dev/null
  wait
  expect_rc 0
  [ -p pipe ] || fail "the FIFO was replaced"
  grep -qxF "$GOOD" from_pipe.txt || fail "report did not go through the FIFO"
}
case02_output_fifo_no_reader() {
  good
  mkfifo lonely
  run scan tree -o lonely
  expect_rc 2
  has_err "nxpool: error: cannot write lonely: No such device or address"
  [ -p lonely ] || fail "the FIFO was replaced"
}
case02_output_regular() {
  good
  echo old >report.txt
  run scan tree -o report.txt
  expect_rc 0
  grep -qxF "$GOOD" report.txt || fail "report.txt not written"
  [ -z "$(ls -A | grep '^\.report\.txt\.')" ] || fail "temporary file left behind"
}
case02_closed_stdout() {
  good
  bash -c 'exec "$@" >&-' x "$NX" scan tree 2>err.txt
  RC=$?
  : >out.txt
  expect_rc 2
  has_err "nxpool: error: cannot write standard output: Bad file descriptor"
}

# --- item 4: a compile_commands.json found in the tree stays in it ----------
case04_compdb_outside() {
  good
  mkdir -p outside && cp tree/good.c outside/secret.c
  printf '[{"directory":"%s","file":"%s/outside/secret.c","command":"cc -c secret.c"}]\n' "$PWD/outside" "$PWD" >tree/compile_commands.json
  run scan tree
  expect_rc 0
  lacks "secret.c"
  has "$GOOD"
}

# --- item 8: build-file readers open only regular files of bounded size -----
case08_special_files() {
  good
  mkfifo tree/x.vcxproj
  ln -s /dev/zero tree/sources
  mkdir -p tree/sub && ln -s /dev/zero tree/sub/compile_commands.json
  mkdir -p tree/rsp && cp tree/good.c tree/rsp/r.c
  printf '[{"directory":"%s","file":"r.c","command":"cl @/dev/zero r.c"}]\n' "$PWD/tree/rsp" >tree/rsp/compile_commands.json
  run scan tree
  expect_rc 2
  has "tree/x.vcxproj: error: cannot read file: not a regular file; project skipped"
  has "tree/sources: error: cannot read file: outside the scanned tree (allow it with --allow-read DIR)"
  has "tree/sub/compile_commands.json: error: cannot read file: outside the scanned tree (allow it with --allow-read DIR)"
  has "tree/rsp/compile_commands.json:1:2: error: cannot read response file '/dev/zero': not a regular file"
  has "$GOOD"
}
case08_size_limit() {
  good
  project tree/a.vcxproj "  <!-- $(head -c 5000 /dev/zero | tr '\0' x) -->"
  run scan --max-file-size 4096 tree
  expect_rc 2
  has "tree/a.vcxproj: error: cannot read file: larger than the 4096 byte limit (--max-file-size); project skipped"
  has "$GOOD"
}

# --- item 5: recursive evaluators are depth-limited ---------------------------
case05_if_chain() {
  good
  python3 -c "print('#if ' + '1?' * 200000 + '1' + ':0' * 200000); print('#endif')" >tree/chain.c
  run scan tree
  expect_rc 0
  has "tree/chain.c:1:1: warning: #if expression nested too deeply; both arms are analysed"
  has "$GOOD"
}
case05_include_cycle() {
  good
  printf '#include "self.h"\n' >tree/self.h
  printf '#include "self.h"\n' >tree/cycle.c
  run scan tree
  expect_rc 2
  has "tree/self.h:1:1: error: #include nested deeper than 200 levels (an include cycle without a guard?)"
  has "$GOOD"
}
case05_msbuild_condition() {
  good
  project tree/a.vcxproj "  <PropertyGroup Condition=\"$(python3 -c "print('(' * 100000 + 'true' + ')' * 100000)")\"><A>1</A></PropertyGroup>"
  run scan tree
  expect_rc 2
  grep -q '^tree/a.vcxproj:2:3: error: malformed condition ".*": nested too deeply' err.txt || fail "no depth error for the condition"
  has "$GOOD"
}

# --- item 6: every expansion has a budget, exhaustion is reported -------------
case06_property_doubling() {
  good
  project tree/a.vcxproj "  <PropertyGroup><A>xx</A>
$(for i in $(seq 1 40); do echo '    <A>$(A)$(A)</A>'; done)
  </PropertyGroup>"
  run scan tree
  expect_rc 2
  has "tree/a.vcxproj:22:5: error: property expansion exceeds the 1048576 byte budget; it expands to nothing"
  has "$GOOD"
}
case06_replace_bomb() {
  good
  project tree/a.vcxproj "  <PropertyGroup><A>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</A>
$(for i in $(seq 1 8); do echo "    <A>\$(A.Replace('x','xxxxxxxxxxxxxxxxxxxx'))</A>"; done)
  </PropertyGroup>"
  run scan tree
  expect_rc 2
  has "tree/a.vcxproj:6:5: error: Replace() result exceeds the 1048576 byte budget; it expands to nothing"
  has "$GOOD"
}
case06_include_fanout() {
  good
  for i in $(seq 0 39); do printf '#include "h%d.h"\n#include "h%d.h"\n' $((i + 1)) $((i + 1)) >tree/h$i.h; done
  echo 'int x;' >tree/h40.h
  printf '#include "h0.h"\n' >tree/fan.c
  run scan tree
  expect_rc 2
  has "tree/h34.h:1:1: error: #include budget of this unit (20000 inclusions, 256 MiB) is spent; this and later #includes are skipped"
  has "$GOOD"
}
case06_macro_chain() {
  # A 40-deep chain of object-like macros must not hide the allocation, and
  # a 600-deep one is reported as truncated (error, exit 2), never silent.
  good
  { echo '#include <wdm.h>'; echo '#define M0 NonPagedPoolExecute'
    for i in $(seq 1 40); do echo "#define M$i M$((i - 1))"; done
    echo 'void g(void) { ExAllocatePoolWithTag(M40, 8, 1); }'; } >tree/chain40.c
  run scan tree
  expect_rc 0
  has "tree/chain40.c:43:38: note: 'NonPagedPoolExecute' explicitly requests executable memory, which memory integrity (HVCI) refuses (in the expansion of macro 'M40') [NX2002]"
  { echo '#include <wdm.h>'; echo '#define N0 NonPagedPoolExecute'
    for i in $(seq 1 600); do echo "#define N$i N$((i - 1))"; done
    echo 'void h(void) { ExAllocatePoolWithTag(N600, 8, 1); }'; } >tree/chain600.c
  run scan tree
  expect_rc 2
  grep -q "^tree/chain600.c:603:38: error: macro expansion of 'N[0-9]*' stopped (nested deeper than 512 levels, budget 4194304 tokens per unit); code it produces is not analysed$" err.txt ||
    fail "no truncation error for the 600-deep chain"
  has "$GOOD"
}

# --- item 7: memory linear in the input ---------------------------------------
case07_nested_if() {
  good
  python3 -c "print('#if X\n' * 10000 + '#endif\n' * 10000)" >tree/nested.c
  run scan tree
  expect_rc 2
  has "tree/nested.c:257:1: error: #if nested deeper than 256 levels; the group is not analysed"
  has "$GOOD"
}
case07_long_line() {
  good
  python3 -c "print('int a' + ' ' * 50_000_000 + '= NonPagedPoolExecute;')" >tree/long.c
  run scan tree
  expect_rc 0
  has "$GOOD"
}

# --- item 9: an exception is that build file's or unit's error ----------------
case09_substring_nan() {
  good
  project tree/a.vcxproj '  <PropertyGroup><A>abc</A><B>$(A.Substring(nan))</B><C>$(A.Substring(0,1e30))</C><D>$([MSBuild]::Add(1e30,1))</D></PropertyGroup>'
  run scan tree
  expect_rc 0
  has "tree/a.vcxproj:2:28: warning: unsupported property expression \$(A.Substring(nan)): string method Substring is not supported; it expands to nothing"
  has "$GOOD"
}

# --- item 3: text output cannot be forged -------------------------------------
case03_escaped_names() {
  good
  local nl=$'evil\nfake.c:1:1: error: forged.c'
  cp tree/good.c "tree/$nl"
  run scan tree
  expect_rc 0
  has "tree/evil\\nfake.c:1:1: error: forged.c:2:38: note: 'NonPagedPoolExecute' explicitly requests executable memory, which memory integrity (HVCI) refuses [NX2002]"
  cat out.txt err.txt | grep -q '^fake.c' && fail "a file name forged a report line"
  has "$GOOD"
  run scan --format msvc tree
  grep -qF 'tree/evil\nfake.c:1:1: error: forged.c(2,38): info NX2002:' out.txt || fail "msvc line not escaped"
}

# --- item 10: the exit status tells the truth ----------------------------------
case10_exit_status() {
  good
  head -c 300 "$NX" >tree/binary.c
  printf 'i\0n\0t\0 \0x\0;\0' >tree/utf16.c
  ln -s /etc/hostname tree/leak.c
  ln -s loop.c tree/loop.c
  run scan tree
  expect_rc 2
  has "tree/binary.c: note: binary file (NUL bytes, no UTF-16 byte-order mark); skipped"
  has "tree/utf16.c: note: binary file (NUL bytes, no UTF-16 byte-order mark); skipped"
  has "tree/leak.c: error: symbolic link leads outside the scanned tree; not read"
  has "tree/loop.c: error: cannot follow symbolic link: Too many levels of symbolic links"
  has "$GOOD"
}
case10_unreadable_directory() {
  good
  mkdir tree/locked && cp tree/good.c tree/locked/x.c && chmod 000 tree/locked
  if [ "$(id -u)" = 0 ]; then
    # root reads everything: drop to nobody for this run.
    command -v setpriv >/dev/null || { echo "SKIP: root without setpriv"; exit 77; }
    chmod 755 . && chmod -R a+rX tree/good.c && chmod 755 tree
    local real=$NX
    NX_WRAP=(setpriv --reuid=65534 --regid=65534 --clear-groups "$real")
    bash -c '"$@" scan tree >out.txt 2>err.txt' x "${NX_WRAP[@]}"
    RC=$?
  else
    run scan tree
  fi
  expect_rc 2
  has "tree/locked: error: cannot read directory: Permission denied"
  has "$GOOD"
}
case06_nmake_recursion() {
  good
  printf 'TARGETNAME=x\nTARGETTYPE=DRIVER\nB=$(C)$(C)\nC=$(B)$(B)\nC_DEFINES=-DPOOL_NX_OPTIN=$(B)\nSOURCES=good.c\n' >tree/sources
  run scan tree
  expect_rc 2
  has "tree/sources: error: nmake macro expansion exceeds its budget of 1048576 bytes (recursive macros?); those values are empty"
  has "tree/good.c:2:38: note: 'NonPagedPoolExecute' explicitly requests executable memory, which memory integrity (HVCI) refuses (all 6 configurations) [NX2002]"
}
