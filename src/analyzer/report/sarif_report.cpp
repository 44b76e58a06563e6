// SARIF 2.1.0 as GitHub code scanning reads it:
//   - one run, tool.driver with every rule's metadata (descriptions, help
//     text and markdown, default level, tags, precision, problem.severity);
//   - results with ruleId/ruleIndex, level, message, a physical location
//     whose URI is relative to %SRCROOT% (the current directory), a region
//     with an exclusive end column (%SRCROOT% is the enclosing git
//     repository's root, else the current directory), and partialFingerprints
//     .primaryLocationLineHash computed from the rule, the file and the
//     whitespace-normalised text of the line plus an occurrence counter, so
//     it survives unrelated edits above the finding and is stable run to run;
//   - input problems as toolExecutionNotifications of the invocation.
//   - the --modes data in runs[0].properties: "units" (file, config, image,
//     arch, mode, source, latch, conditional, as the JSON unit records; file
//     paths relative to the current directory) and "images" (name, kind,
//     buildFile, configs in declared order).
// Tested by tests/analyzer/report_test.cpp (structure) and tests/cli/.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "binary/image_report.h"
#include "report/report.h"
#include "rules/registry.h"

namespace nxpool::report {
namespace {
using json = nlohmann::ordered_json;

const char* level(model::Severity s) {
  switch (s) {
    case model::Severity::Note: return "note";
    case model::Severity::Warning: return "warning";
    case model::Severity::Error: return "error";
  }
  return "warning";
}

std::string uri_encode(const std::string& p) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : p) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string normalised(const std::string& line) {
  std::string s;
  for (char c : line)
    if (c != ' ' && c != '\t') s += c;
  return s;
}

// The repository root (the nearest ancestor of the current directory with a
// .git entry), or the current directory when there is none: SARIF consumers
// such as GitHub code scanning want URIs relative to the repository.
std::filesystem::path source_root() {
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  for (std::filesystem::path p = cwd; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / ".git", ec)) return p;
    if (p == p.parent_path()) break;
  }
  return cwd;
}

}  // namespace

void write_sarif(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  json rules = json::array();
  std::map<std::string, std::size_t> index;
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
    json extra = binary::rule_properties(ri.id);
    std::string md = "**" + std::string(ri.summary) + "**\n\n" + std::string(ri.description) + "\n\n**How to fix:** " +
                     std::string(ri.fix) + "\n\nSee docs/rules/" + std::string(ri.id) + ".md.";
    rules.push_back({{"id", ri.id},
                     {"name", ri.name},
                     {"shortDescription", {{"text", ri.summary}}},
                     {"fullDescription", {{"text", ri.description}}},
                     {"help", {{"text", std::string(ri.description) + " " + std::string(ri.fix)}, {"markdown", md}}},
                     {"defaultConfiguration", {{"level", level(ri.severity)}}},
                     {"properties",
                      {{"tags", tags},
                       {"precision", "high"},
                       {"problem.severity", ri.severity == model::Severity::Note ? "recommendation" : level(ri.severity)}}}});
    rules.back()["properties"].update(extra);
  }

  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  const std::filesystem::path root = source_root();
  auto repo_relative = [&](const std::string& file) {
    std::filesystem::path abs = std::filesystem::path(file).is_absolute() ? std::filesystem::path(file) : cwd / file;
    std::string rel = abs.lexically_normal().lexically_relative(root).generic_string();
    return (rel.empty() || rel.rfind("..", 0) == 0) ? std::string() : rel;
  };
  json results = json::array();
  std::map<std::string, int> occurrences;
  for (const scan::Finding& f : r.findings) {
    std::string line = normalised(source_line(f.file, f.line));
    std::uint64_t h = fnv1a(f.rule + "\x1f" + f.file + "\x1f" + (line.empty() ? f.message : line) + "\x1f" + f.config);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    std::string key = hex;
    int n = ++occurrences[key];
    std::string rel = repo_relative(f.file);
    bool relative = !rel.empty();
    json artifact = {{"uri", relative ? uri_encode(rel) : "file://" + uri_encode(f.file)}};
    if (relative) artifact["uriBaseId"] = "%SRCROOT%";
    json props = {{"mode", scan::mode_name(f.mode)}, {"config", f.config}, {"image", f.image}};
    if (!f.condition.empty()) props["condition"] = f.condition;
    if (!f.macro.empty()) props["macro"] = f.macro;
    props.update(binary::rule_properties(f.rule));
    // A PE image has no lines: its region is a byte offset.
    json region = f.line == 0 ? json{{"byteOffset", f.offset}}
                              : json{{"startLine", f.line},
                                     {"startColumn", f.column},
                                     {"endLine", f.line},
                                     {"endColumn", std::max(f.end_column, f.column + 1)}};
    results.push_back(
        {{"ruleId", f.rule},
         {"ruleIndex", index.count(f.rule) ? index[f.rule] : 0},
         {"level", level(f.severity)},
         {"message", {{"text", f.message}}},
         {"locations",
          json::array({{{"physicalLocation",
                         {{"artifactLocation", artifact},
                          {"region", region}}}}})},
         {"partialFingerprints", {{"primaryLocationLineHash", key + ":" + std::to_string(n)}}},
         {"properties", props}});
  }

  json notes = json::array();
  bool ok = true;
  for (const auto& d : r.diagnostics) {
    if (d.severity == model::Severity::Error) ok = false;
    json loc = {{"physicalLocation", {{"artifactLocation", {{"uri", uri_encode(d.loc.file)}}}}}};
    if (d.loc.line > 0)
      loc["physicalLocation"]["region"] = {{"startLine", d.loc.line}, {"startColumn", std::max(d.loc.column, 1)}};
    notes.push_back({{"level", level(d.severity)}, {"message", {{"text", d.message}}}, {"locations", json::array({loc})}});
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
  json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array({{{"tool",
                      {{"driver",
                        {{"name", "nxpool"},
                         {"version", o.tool_version},
                         {"rules", rules}}}}},
                     {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file://" + uri_encode(root_uri)}}}}},
                     {"invocations",
                      json::array({{{"executionSuccessful", ok}, {"toolExecutionNotifications", notes}}})},
                     {"results", results},
                     {"properties", {{"units", units}, {"images", images}, {"peImages", pe_images}}}}})}};
  os << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace nxpool::report
