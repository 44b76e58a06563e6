// The stage between the scan and the report: everything that decides which
// findings a team sees, applied to the findings of any source (source rules
// now, binary checks later) before any formatter runs:
//
//   1. configuration files: excluded paths go (findings, units, input
//      notes of those files), disabled rules go, re-graded rules change level;
//   2. in-source suppressions (in_source.h) mark findings `suppressed`: the
//      text formats omit them, JSON Lines and SARIF carry them;
//   3. fingerprints are assigned (fingerprint.h);
//   4. --write-baseline records the unsuppressed sites; --baseline drops the
//      findings whose site is in the baseline.
//
// Tested by tests/cli/suppress_test.cpp, baseline_test.cpp, config_test.cpp.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "scan/finding.h"

namespace nxpool::suppress {

struct FilterOptions {
  const config::Loaded* configs = nullptr;
  std::optional<std::string> baseline;        // read: drop findings in it
  std::optional<std::string> write_baseline;  // write today's findings to it
  // Off-by-default rules the command line turned on everywhere; others of
  // them are kept only where a config file turns them on.
  std::vector<std::string> enabled_rules;
};

struct FilterStats {
  std::size_t suppressed = 0;  // sites suppressed in source
  std::size_t baselined = 0;   // sites dropped because the baseline has them
  int written = -1;            // entries written to --write-baseline (-1 = none)
};

FilterStats apply_filters(scan::ScanResult& r, const FilterOptions& o);

// 0 clean, 1 an unsuppressed finding at or above `fail_on`, 2 an input error.
int exit_status(const scan::ScanResult& r, config::FailOn fail_on);

}  // namespace nxpool::suppress
