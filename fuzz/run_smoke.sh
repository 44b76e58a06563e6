#!/usr/bin/env bash
# `make fuzz-smoke`: run every libFuzzer target for FUZZ_SECONDS (default 30)
# under ASan+UBSan, seeded from the test fixtures (read-only) with the
# target's dictionary. New corpus entries go to a temporary directory, never
# into the repository. Any crash fails the run; its reproducer is kept in
# $FUZZ_ARTIFACTS (default build-fuzz/artifacts) and becomes a regression test.
#   fuzz/run_smoke.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-30}
ARTIFACTS=${FUZZ_ARTIFACTS:-$BUILD/artifacts}
mkdir -p "$ARTIFACTS"
F=tests/buildfiles/fixtures
seeds() {
  case $1 in
    lexer|scan|ifexpr) echo tests/analyzer/cases examples ;;
    msbuild) echo $F/msbuild_* $F/discover_* ;;
    sln) echo $F/sln_config_mapping $F/msbuild_solutiondir_guess ;;
    sources) echo $F/wdk_* ;;
    compdb|response) echo $F/compdb_spellings ;;
    pe) echo fuzz/pe_corpus ;;
    suppress) echo tests/analyzer/cases ;;
  esac
}
status=0
for t in lexer scan msbuild sln sources compdb response ifexpr pe suppress; do
  bin=$BUILD/fuzz/nxpool_${t}_fuzz
  [ -x "$bin" ] || { echo "fuzz-smoke: $bin not built"; exit 2; }
  corpus=$(mktemp -d)
  echo "fuzz-smoke: $t (${SECONDS_EACH}s)"
  # shellcheck disable=SC2046
  if ! "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        $( [ -f fuzz/dict/$t.dict ] && echo -dict=fuzz/dict/$t.dict ) -artifact_prefix="$ARTIFACTS/$t-" -print_final_stats=0 \
        "$corpus" $(seeds $t) >"$ARTIFACTS/$t.log" 2>&1; then
    echo "fuzz-smoke: $t FAILED (log: $ARTIFACTS/$t.log)"
    tail -30 "$ARTIFACTS/$t.log"
    status=1
  else
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$ARTIFACTS/$t.log" | tail -1 || true
  fi
  rm -rf "$corpus"
done
exit $status
