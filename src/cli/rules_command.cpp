// `nxpool rules`: every rule with its id, default severity and summary.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "rules/registry.h"
#include "scan/finding.h"

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
                                  {"doc", "docs/rules/" + std::string(r.id) + ".md"}};
      std::cout << j.dump() << "\n";
    } else {
      std::cout << r.id << "  " << scan::severity_name(r.severity) << "  " << r.summary << "\n";
    }
  }
  return 0;
}

}  // namespace nxpool::cli
