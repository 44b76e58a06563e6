// Metadata for every rule: id, default severity and the texts `nxpool rules`,
// SARIF rule descriptors and the docs share.
#pragma once

#include <span>
#include <string_view>

#include "model/compile_unit.h"

namespace nxpool::rules {

struct RuleInfo {
  std::string_view id;          // "NX2001"
  std::string_view name;        // short kebab-case name
  model::Severity severity;     // default severity
  bool executable_site;         // --hvci makes it an error
  std::string_view summary;     // one line
  std::string_view description; // a few sentences: what and why
  std::string_view fix;         // how to fix
  std::string_view tags;        // comma-separated SARIF tags
  // Off unless asked for: `[rules] NXnnnn = "on"` in a config file, or
  // `nxpool fix --rule NXnnnn` (the scan runs it only then).
  bool off_by_default = false;
};

std::span<const RuleInfo> all_rules();
const RuleInfo* find_rule(std::string_view id);

}  // namespace nxpool::rules
