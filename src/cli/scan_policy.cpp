#include "cli/scan_policy.h"

#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "rules/registry.h"
#include "suppress/fingerprint.h"

namespace nxpool::cli {

Policy load_policy(const ScanArgs& args, const std::vector<std::string>& paths) {
  Policy p;
  std::vector<std::string> starts = paths;
  if (args.compile_commands) starts.push_back(*args.compile_commands);
  for (const std::string& f : args.project) starts.push_back(f);
  if (starts.empty()) starts.push_back(".");
  p.configs = config::load_for_paths(starts);
  if (const config::Config* c = p.configs.primary()) {
    if (c->fail_on) p.fail_on = *c->fail_on;
    if (c->hvci) p.hvci = *c->hvci;
    p.configurations = c->configurations;
    p.baseline = c->baseline;
    if (c->help_uri) p.help_uri = *c->help_uri;
  }
  // The command line wins over the file.
  if (args.fail_on) p.fail_on = *config::parse_fail_on(*args.fail_on);
  if (args.hvci) p.hvci = true;
  if (!args.configs.empty()) p.configurations = args.configs;
  if (args.baseline) p.baseline = args.baseline;
  p.source_root = suppress::repo_root_of(starts.front());
  p.enabled_rules = args.enabled_rules;
  for (const rules::RuleInfo& r : rules::all_rules()) {
    if (!r.off_by_default) continue;
    std::string id(r.id);
    for (const config::Config& c : p.configs.configs) {
      auto it = c.rules.find(id);
      if (it != c.rules.end() && it->second.enabled && !std::count(p.enabled_rules.begin(), p.enabled_rules.end(), id))
        p.enabled_rules.push_back(id);
    }
  }
  return p;
}

suppress::FilterStats apply_policy(scan::ScanResult& r, const Policy& p, const ScanArgs& args) {
  for (const auto& d : p.configs.diagnostics) r.diagnostics.push_back(d);
  suppress::FilterOptions fo;
  fo.configs = &p.configs;
  fo.enabled_rules = args.enabled_rules;
  fo.write_baseline = args.write_baseline;
  // Writing a baseline accepts today's findings: the run then reports none of them.
  fo.baseline = args.write_baseline ? args.write_baseline : p.baseline;
  suppress::FilterStats st = suppress::apply_filters(r, fo);
  if (args.write_baseline && st.written >= 0)
    std::fprintf(stderr, "nxpool: wrote %d finding%s to the baseline %s\n", st.written, st.written == 1 ? "" : "s",
                 args.write_baseline->c_str());
  return st;
}

bool use_color(const ScanArgs& args, bool to_terminal) {
  if (args.color == "always") return true;
  if (args.color == "never") return false;
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return to_terminal;
}

}  // namespace nxpool::cli
