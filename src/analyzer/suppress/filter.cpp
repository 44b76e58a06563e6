#include "suppress/filter.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "lex/source_file.h"
#include "rules/registry.h"
#include "suppress/baseline.h"
#include "suppress/fingerprint.h"
#include "suppress/in_source.h"

namespace nxpool::suppress {
namespace {

bool excluded(const config::Loaded& cfgs, const std::string& file) {
  const config::Config* c = cfgs.config_for(file);
  if (!c || c->exclude.empty()) return false;
  std::error_code ec;
  std::string rel =
      std::filesystem::absolute(file, ec).lexically_normal().lexically_relative(c->dir).generic_string();
  for (const std::string& g : c->exclude)
    if (config::glob_match(g, rel)) return true;
  return false;
}

// A rule that is off by default stays only where the command line or the
// config governing the file turns it on (docs/ci.md "Rules that are off").
void drop_off_rules(scan::ScanResult& r, const config::Loaded& cfgs, const std::vector<std::string>& enabled) {
  std::erase_if(r.findings, [&](const scan::Finding& f) {
    const rules::RuleInfo* info = rules::find_rule(f.rule);
    if (!info || !info->off_by_default) return false;
    if (std::find(enabled.begin(), enabled.end(), f.rule) != enabled.end()) return false;
    const config::Config* c = cfgs.config_for(f.file);
    if (!c) return true;
    auto it = c->rules.find(f.rule);
    return it == c->rules.end() || !it->second.enabled;
  });
}

void apply_configs(scan::ScanResult& r, const config::Loaded& cfgs) {
  if (cfgs.configs.empty()) return;
  std::map<std::string, bool> ex;
  auto is_ex = [&](const std::string& f) {
    auto it = ex.find(f);
    if (it == ex.end()) it = ex.emplace(f, excluded(cfgs, f)).first;
    return it->second;
  };
  std::erase_if(r.units, [&](const scan::UnitRecord& u) { return is_ex(u.file); });
  std::erase_if(r.diagnostics, [&](const model::InputDiagnostic& d) {
    return d.severity != model::Severity::Error && !d.loc.file.empty() && is_ex(d.loc.file);
  });
  std::erase_if(r.findings, [&](scan::Finding& f) {
    if (is_ex(f.file)) return true;
    const config::Config* c = cfgs.config_for(f.file);
    if (!c) return false;
    auto it = c->rules.find(f.rule);
    if (it == c->rules.end()) return false;
    if (!it->second.enabled) return true;
    if (it->second.severity) f.severity = *it->second.severity;
    return false;
  });
}

}  // namespace

FilterStats apply_filters(scan::ScanResult& r, const FilterOptions& o) {
  FilterStats st;
  if (o.configs) {
    drop_off_rules(r, *o.configs, o.enabled_rules);
    apply_configs(r, *o.configs);
  }

  std::map<std::string, std::unique_ptr<InSource>> by_file;
  std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> suppressed_sites;
  for (scan::Finding& f : r.findings) {
    auto it = by_file.find(f.file);
    if (it == by_file.end()) {
      lex::SourceText st_text = lex::load_source(f.file);
      it = by_file.emplace(f.file, std::make_unique<InSource>(st_text.status == lex::LoadStatus::Ok ? st_text.text : ""))
               .first;
    }
    if (const Span* s = it->second->find(f.line, f.rule, f.mode)) {
      f.suppressed = true;
      f.suppression = s->kind;
      f.justification = s->justification;
      suppressed_sites.insert({f.file, f.line, f.column, f.rule});
    }
  }
  st.suppressed = suppressed_sites.size();

  assign_fingerprints(r.findings);

  if (o.write_baseline) {
    std::string err;
    st.written = write_baseline(*o.write_baseline, r.findings, err);
    if (st.written < 0) {
      model::InputDiagnostic d;
      d.loc.file = *o.write_baseline;
      d.message = err;
      r.diagnostics.push_back(std::move(d));
    }
  }
  bool write_failed = o.write_baseline && st.written < 0;
  if (o.baseline && !(write_failed && *o.baseline == *o.write_baseline)) {
    std::set<std::string> known = read_baseline(*o.baseline, r.diagnostics);
    std::set<std::string> dropped;
    std::erase_if(r.findings, [&](const scan::Finding& f) {
      if (f.suppressed || !known.count(f.fingerprint)) return false;
      dropped.insert(f.fingerprint);
      return true;
    });
    st.baselined = dropped.size();
  }
  return st;
}

int exit_status(const scan::ScanResult& r, config::FailOn fail_on) {
  for (const auto& d : r.diagnostics)
    if (d.severity == model::Severity::Error) return 2;
  if (fail_on == config::FailOn::Never) return 0;
  model::Severity threshold = fail_on == config::FailOn::Error     ? model::Severity::Error
                              : fail_on == config::FailOn::Warning ? model::Severity::Warning
                                                                   : model::Severity::Note;
  for (const auto& f : r.findings)
    if (!f.suppressed && static_cast<int>(f.severity) >= static_cast<int>(threshold)) return 1;
  return 0;
}

}  // namespace nxpool::suppress
