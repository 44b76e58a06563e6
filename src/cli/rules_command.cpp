// `nxpool rules`: every rule with its id, default severity and summary, and
// the Code Analysis for Drivers warnings whose suppression it honours.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "rules/registry.h"
#include "scan/finding.h"
#include "suppress/warning_map.h"

namespace nxpool::cli {

int run_rules(const std::string& format) {
  for (const rules::RuleInfo& r : rules::all_rules()) {
    if (format == "json") {
      nlohmann::ordered_json j = {{"id", r.id},
                                  {"name", r.name},
                                  {"severity", scan::severity_name(r.severity)},
                                  {"summary", r.summary},
                                  {"description", r.description},
                                  {"fix", r.fix},
                                  {"doc", "docs/rules/" + std::string(r.id) + ".md"},
                                  {"codeAnalysis", suppress::warnings_for_rule(r.id)}};
      std::cout << j.dump() << "\n";
    } else {
      std::cout << r.id << "  " << scan::severity_name(r.severity) << "  " << r.summary << "\n";
      std::vector<std::string> ws = suppress::warnings_for_rule(r.id);
      if (!ws.empty()) {
        std::cout << "        Code Analysis:";
        for (std::size_t i = 0; i < ws.size(); ++i) std::cout << (i ? ", " : " ") << ws[i];
        std::cout << "\n";
      }
    }
  }
  if (format != "json") {
    std::cout << "\nCode Analysis for Drivers warnings honoured in #pragma warning/prefast(suppress: N):\n";
    for (const suppress::WarningMapping& m : suppress::warning_mappings()) {
      std::cout << "  C" << m.warning << "  ";
      if (m.rules.empty()) std::cout << "(no nxpool rule)";
      for (std::size_t i = 0; i < m.rules.size(); ++i) std::cout << (i ? ", " : "") << m.rules[i];
      if (m.optout_only) std::cout << " in opted-out files";
      std::cout << "  -- " << m.meaning << "\n";
    }
  }
  return 0;
}

}  // namespace nxpool::cli
