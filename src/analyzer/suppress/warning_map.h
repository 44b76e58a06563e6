// Code Analysis for Drivers warnings (C30029-C30035) and C28751, mapped to
// the nxpool rules that report the same problem. Driver code already
// carries `#pragma warning(suppress: 30030)` and
// `#pragma prefast(suppress: 30030, "...")` for those warnings; nxpool
// honours them through this table, and `nxpool rules` and each rule page
// show it. Tested by tests/cli/suppress_test.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nxpool::suppress {

struct WarningMapping {
  int warning;                          // 30030
  std::span<const std::string_view> rules;  // nxpool rules it covers (may be empty)
  bool optout_only;                     // covers those rules only in an opted-out file (C30032)
  std::string_view meaning;             // what the warning flags, in a few words
};

std::span<const WarningMapping> warning_mappings();
const WarningMapping* find_warning(int warning);

// The warnings ("C30030") that map to `rule`, in table order.
std::vector<std::string> warnings_for_rule(std::string_view rule);

}  // namespace nxpool::suppress
