// SARIF 2.1.0 that GitHub code scanning and Visual Studio's SARIF viewer
// take as is (issue 11 item 4; conventions in docs/ci.md):
//   - one run; tool.driver with every rule once (descriptions, help.text and
//     help.markdown = the rule's page, helpUri when a URL template is
//     configured, defaultConfiguration, properties tags / precision /
//     problem.severity / security-severity), informationUri;
//   - one result per site (file, line, column, rule): the configurations,
//     images and modes that have it are listed in result.properties, so
//     eight configurations make one alert, not eight;
//   - URIs relative to %SRCROOT% (the repository root: git or the config
//     file, given by the caller), file:/// absolute ones outside it, for
//     results and notifications alike;
//   - partialFingerprints.primaryLocationLineHash = the site fingerprint
//     assigned by the suppress stage (rule, repo-relative path, normalised
//     text around the line, occurrence index): the same from any working
//     directory; a fallback from the line text when none was assigned;
//   - columnKind "unicodeCodePoints": columns are converted from the
//     analyzer's byte columns using the line's text;
//   - suppressed findings carry suppressions [{kind: "inSource", justification}];
//   - a site `nxpool fix` would fix carries its edits as `fixes` (one fix,
//     one artifactChange, a replacement per edit: sarif_fixes.cpp);
//   - automationDetails.id, versionControlProvenance in a git checkout;
//   - the --modes data in runs[0].properties ("units", "images"), and the
//     PE images scanned ("peImages"); a finding in an image has a byteOffset
//     region and the Verifier code / readiness counter in its properties.
// Tested by tests/analyzer/report_test.cpp and tests/cli/sarif_test.cpp
// (which also runs Microsoft's SARIF Multitool `validate`).
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "binary/image_report.h"
#include "report/report.h"
#include "report/sarif_parts.h"
#include "rules/registry.h"

#ifndef NXPOOL_INFORMATION_URI
#define NXPOOL_INFORMATION_URI "https://github.com/nxpool/nxpool"
#endif

namespace nxpool::report {
namespace {
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

const char* level(model::Severity s) {
  switch (s) {
    case model::Severity::Note: return "note";
    case model::Severity::Warning: return "warning";
    case model::Severity::Error: return "error";
  }
  return "warning";
}

// GitHub's scale: 9+ critical, 7-8.9 high, 4-6.9 medium, below 4 low.
const char* security_severity(const rules::RuleInfo& ri) {
  bool security = ri.tags.find("security") != std::string_view::npos;
  if (ri.severity == model::Severity::Error) return security ? "8.0" : "6.0";
  if (security) return ri.severity == model::Severity::Warning ? "7.0" : "4.0";
  return ri.tags.find("maintainability") != std::string_view::npos ? "2.0" : "5.0";
}

// Rules that read intent from code shape (placement of a call, a bit test)
// can be wrong more often than the ones that read a token's meaning.
const char* precision(std::string_view id) { return id == "NX1104" || id == "NX3002" ? "medium" : "high"; }

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

fs::path default_root() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  for (fs::path p = cwd; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) return p;
    if (p == p.parent_path()) break;
  }
  return cwd;
}

json rule_descriptors(const ReportOptions& o, std::map<std::string, std::size_t>& index) {
  json rules = json::array();
  for (const rules::RuleInfo& ri : rules::all_rules()) {
    index[std::string(ri.id)] = rules.size();
    json tags = json::array();
    std::string t(ri.tags);
    for (std::size_t b = 0; b < t.size();) {
      std::size_t e = t.find(',', b);
      if (e == std::string::npos) e = t.size();
      tags.push_back(t.substr(b, e - b));
      b = e + 1;
    }
    std::string md(rule_page(ri.id));
    if (md.empty())
      md = "**" + std::string(ri.summary) + "**\n\n" + std::string(ri.description) + "\n\n**How to fix:** " +
           std::string(ri.fix);
    json r = {{"id", ri.id},
              {"name", ri.name},
              {"shortDescription", {{"text", ri.summary}}},
              {"fullDescription", {{"text", ri.description}}},
              {"help", {{"text", std::string(ri.description) + " " + std::string(ri.fix)}, {"markdown", md}}}};
    if (!o.help_uri.empty()) {
      std::string uri = o.help_uri;
      for (std::size_t p; (p = uri.find("{rule}")) != std::string::npos;) uri.replace(p, 6, ri.id);
      r["helpUri"] = uri;
    }
    r["defaultConfiguration"] = {{"level", level(ri.severity)}};
    r["properties"] = {{"tags", tags},
                       {"precision", precision(ri.id)},
                       {"problem.severity", ri.severity == model::Severity::Note ? "recommendation" : level(ri.severity)},
                       {"security-severity", security_severity(ri)}};
    r["properties"].update(binary::rule_properties(ri.id));
    rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace

void write_sarif(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  std::map<std::string, std::size_t> index;
  json rules = rule_descriptors(o, index);

  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  const fs::path root = o.source_root.empty() ? default_root() : fs::path(o.source_root).lexically_normal();
  // artifactLocation for a file: relative to %SRCROOT% when under it, else file:///.
  auto artifact = [&](const std::string& file) {
    fs::path abs = (fs::path(file).is_absolute() ? fs::path(file) : cwd / file).lexically_normal();
    fs::path rel = abs.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..")
      return json{{"uri", sarif::uri_encode(rel.generic_string())}, {"uriBaseId", "%SRCROOT%"}};
    return json{{"uri", sarif::file_uri(abs.generic_string())}};
  };

  // Sites in first-seen order, each with every finding (configuration) at it.
  // (file, line, column, offset in a PE image, rule)
  using Site = std::tuple<std::string, std::uint32_t, std::uint32_t, std::uint64_t, std::string>;
  std::map<Site, std::size_t> site_of;
  std::vector<std::vector<const scan::Finding*>> sites;
  for (const scan::Finding& f : r.findings) {
    auto [it, fresh] = site_of.emplace(Site{f.file, f.line, f.column, f.offset, f.rule}, sites.size());
    if (fresh) sites.emplace_back();
    sites[it->second].push_back(&f);
  }
  std::map<Site, const SiteFix*> fix_of;
  if (o.fixes)
    for (const SiteFix& fx : *o.fixes) fix_of[Site{fx.file, fx.line, fx.column, 0, fx.rule}] = &fx;
  json results = json::array();
  std::map<std::string, int> occurrences;
  for (const auto& group : sites) {
    const scan::Finding& f = *group.front();
    std::string fp = f.fingerprint;
    if (fp.empty()) {
      std::string line = source_line(f.file, f.line);
      std::erase_if(line, [](char c) { return c == ' ' || c == '\t'; });
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx",
                    static_cast<unsigned long long>(fnv1a(f.rule + "\x1f" + f.file + "\x1f" + (line.empty() ? f.message : line))));
      fp = std::string(hex) + ":" + std::to_string(++occurrences[hex]);
    }
    std::set<std::string> configs, images, modes;
    bool all_suppressed = true;
    model::Severity sev = f.severity;
    for (const scan::Finding* g : group) {
      if (!g->config.empty()) configs.insert(g->config);
      if (!g->image.empty()) images.insert(g->image);
      modes.insert(scan::mode_name(g->mode));
      all_suppressed = all_suppressed && g->suppressed;
      if (static_cast<int>(g->severity) > static_cast<int>(sev)) sev = g->severity;
    }
    std::string text = source_line(f.file, f.line);
    std::uint32_t start = sarif::code_point_column(text, f.column);
    std::uint32_t end = sarif::code_point_column(text, std::max(f.end_column, f.column + 1));
    json props = {{"configurations", configs}, {"images", images}, {"modes", modes}};
    if (!f.condition.empty()) props["condition"] = f.condition;
    if (!f.macro.empty()) props["macro"] = f.macro;
    // A PE image has no lines: its region is a byte offset.
    json region = f.line == 0 ? json{{"byteOffset", f.offset}}
                              : json{{"startLine", f.line}, {"startColumn", start}, {"endLine", f.line}, {"endColumn", end}};
    json res = {{"ruleId", f.rule},
                {"ruleIndex", index.count(f.rule) ? index[f.rule] : 0},
                {"level", level(sev)},
                {"message", {{"text", f.message}}},
                {"locations",
                 json::array({{{"physicalLocation",
                                {{"artifactLocation", artifact(f.file)}, {"region", region}}}}})},
                {"partialFingerprints", {{"primaryLocationLineHash", fp}}}};
    if (all_suppressed) {
      json s = {{"kind", "inSource"}};
      if (!f.justification.empty()) s["justification"] = f.justification;
      res["suppressions"] = json::array({s});
    }
    if (auto fx = fix_of.find(Site{f.file, f.line, f.column, 0, f.rule}); fx != fix_of.end() && f.line != 0)
      res["fixes"] = json::array({sarif::fix_json(*fx->second, artifact(f.file))});
    props.update(binary::rule_properties(f.rule));
    res["properties"] = props;
    results.push_back(std::move(res));
  }

  json notes = json::array();
  bool ok = true;
  for (const auto& d : r.diagnostics) {
    if (d.severity == model::Severity::Error) ok = false;
    json note = {{"level", level(d.severity)}, {"message", {{"text", d.message}}}};
    if (!d.loc.file.empty() && d.loc.file[0] != '<') {
      json loc = {{"physicalLocation", {{"artifactLocation", artifact(d.loc.file)}}}};
      if (d.loc.line > 0)
        loc["physicalLocation"]["region"] = {{"startLine", d.loc.line}, {"startColumn", std::max(d.loc.column, 1)}};
      note["locations"] = json::array({loc});
    }
    notes.push_back(std::move(note));
  }
  json units = json::array();
  for (const auto& u : r.units)
    units.push_back({{"file", u.file},
                     {"config", u.config},
                     {"image", u.image},
                     {"arch", u.arch},
                     {"mode", scan::mode_name(u.mode)},
                     {"source", u.source},
                     {"latch", u.latch},
                     {"conditional", u.uncertain}});
  json images = json::array();
  for (const auto& img : r.images)
    images.push_back({{"name", img.name},
                      {"kind", scan::image_kind_name(img.kind)},
                      {"buildFile", img.build_file},
                      {"configs", img.configs}});

  json pe_images = json::array();
  for (const auto& img : r.pe_images) pe_images.push_back(binary::image_record(img));
  std::string root_uri = root.generic_string();
  if (root_uri.empty() || root_uri.back() != '/') root_uri += '/';
  json run = {{"tool",
               {{"driver",
                 {{"name", "nxpool"},
                  {"version", o.tool_version},
                  {"semanticVersion", o.tool_version},
                  {"informationUri", NXPOOL_INFORMATION_URI},
                  {"rules", rules}}}}},
              {"automationDetails", {{"id", "nxpool/scan/"}}},
              {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", sarif::file_uri(root_uri)}}}}}};
  json vcs = sarif::version_control(root.string());
  if (!vcs.empty()) run["versionControlProvenance"] = vcs;
  run["invocations"] = json::array({{{"executionSuccessful", ok}, {"toolExecutionNotifications", notes}}});
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  run["properties"] = {{"units", units}, {"images", images}, {"peImages", pe_images}};
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({run})}};
  os << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace nxpool::report
