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
  wait
  expect_rc 0
  [ -p pipe ] || fail "the FIFO was replaced"
  grep -qxF "$GOOD" from_pipe.txt || fail "report did not go through the FIFO"
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
