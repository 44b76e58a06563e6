#include "cli/policy_flags.h"

#include <CLI/CLI.hpp>

namespace nxpool::cli {

void add_policy_flags(CLI::App& scan, ScanArgs& sa) {
  scan.add_option("--baseline", sa.baseline,
                  "Report only findings that are not in this baseline file (see docs/ci.md); also `baseline` in "
                  ".nxpool.toml");
  scan.add_option("--write-baseline", sa.write_baseline,
                  "Record today's unsuppressed findings in FILE (they are then not reported)");
  scan.add_option("--fail-on", sa.fail_on,
                  "Lowest severity that makes the exit status 1: error, warning (default), note, or never")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  scan.add_option("--color", sa.color, "Colour in text output: auto (a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

}  // namespace nxpool::cli
