// gcc-style and MSVC-style lines (the --modes table is modes_report.cpp).
//   text:  path:line:col: warning: message [NX2001]
//   msvc:  /abs/path(line,col): warning NX2001: message
// Input problems use the same shapes (msvc: code NX0000). A finding (same
// place, rule and message) is printed once however many configurations and
// images have it: "(all N configurations)" when it holds in every
// configuration its file was analysed in (for a header: every configuration
// of the images it was reported for), else the list of its configurations.
// Suppressed findings are not printed. msvc paths are absolute and notes are
// "info", because VS Code's $msCompile matcher knows only error, warning and
// info, each with a code. Tested by tests/analyzer/report_test.cpp and
// tests/cli/formats_test.cpp.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "binary/image_report.h"
#include "report/escape.h"
#include "report/report.h"
#include "report/text_fold.h"

namespace nxpool::report {
namespace {

const char* sgr(model::Severity s) {
  switch (s) {
    case model::Severity::Note: return "\033[1;36m";
    case model::Severity::Warning: return "\033[1;35m";
    case model::Severity::Error: return "\033[1;31m";
  }
  return "";
}

}  // namespace

std::vector<FoldedLine> fold(const scan::ScanResult& r) {
  // The configurations a file is analysed in: those of its units; for a
  // header (no unit of its own), those of the images its findings name.
  std::map<std::string, std::set<std::string>> configs, image_configs;
  for (const auto& u : r.units) {
    if (u.config.empty()) continue;
    configs[u.file].insert(u.config);
    image_configs[u.image].insert(u.config);
  }
  for (const auto& img : r.images)
    for (const auto& c : img.configs)
      if (!c.empty()) image_configs[img.name].insert(c);
  using Key = std::tuple<std::string, std::uint32_t, std::uint32_t, std::string, std::string, int>;
  std::map<Key, std::size_t> group_of;
  std::vector<std::vector<const scan::Finding*>> groups;
  for (const scan::Finding& f : r.findings) {
    if (f.suppressed) continue;
    Key k{f.file, f.line, f.column, f.rule, f.message, static_cast<int>(f.severity)};
    auto [it, fresh] = group_of.emplace(k, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&f);
  }
  std::vector<FoldedLine> out;
  for (const auto& g : groups) {
    std::set<std::string> have;
    for (const scan::Finding* f : g) have.insert(f->config);
    std::set<std::string> all;
    if (auto it = configs.find(g.front()->file); it != configs.end()) {
      all = it->second;
    } else {
      for (const scan::Finding* f : g)
        if (auto im = image_configs.find(f->image); im != image_configs.end()) all.insert(im->second.begin(), im->second.end());
    }
    // One line per distinct finding: the same message at the same place in
    // several configurations (or several images) is said once.
    std::string suffix;
    if (have.size() > 1 && have == all) {
      suffix = " (all " + std::to_string(have.size()) + " configurations)";
    } else if (!(have.size() == 1 && have.begin()->empty())) {
      for (const std::string& c : have) suffix += (suffix.empty() ? " (" : ", ") + (c.empty() ? std::string("-") : c);
      suffix += ")";
    }
    out.push_back({g.front(), suffix});
  }
  return out;
}

void write_text(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  const char* bold = o.color ? "\033[1m" : "";
  const char* reset = o.color ? "\033[0m" : "";
  std::ostream& ds = o.diagnostics ? *o.diagnostics : os;
  for (const auto& d : r.diagnostics)
    ds << escape_control(input_position(d)) << ": " << scan::severity_name(d.severity) << ": "
       << escape_control(d.message) << "\n";
  for (const FoldedLine& l : fold(r)) {
    const scan::Finding& f = *l.f;
    // A finding in a PE image has no line: file and offset instead.
    std::string where = f.line == 0 ? binary::finding_position(f)
                                    : f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
    os << bold << escape_control(where) << ":" << reset << " " << (o.color ? sgr(f.severity) : "")
       << scan::severity_name(f.severity) << ":" << reset << " " << escape_control(f.message)
       << escape_control(l.suffix) << " [" << bold << f.rule << reset << "]\n";
    if (o.source_context && f.line > 0) {
      std::string src = source_line(f.file, f.line);
      if (!src.empty()) {
        os << " " << src << "\n ";
        os << (o.color ? "\033[1;32m" : "");
        for (std::uint32_t c = 1; c < f.column && c - 1 < src.size(); ++c) os << (src[c - 1] == '\t' ? '\t' : ' ');
        os << "^";
        for (std::uint32_t c = f.column + 1; c < f.end_column; ++c) os << '~';
        os << reset << "\n";
      }
    }
  }
  if (o.summary) os << summary_line(r, o.baselined) << "\n";
}

void write_msvc(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  auto absolute = [](const std::string& p) {
    if (p.empty() || p[0] == '<') return p;
    std::error_code ec;
    return std::filesystem::absolute(p, ec).lexically_normal().string();
  };
  auto word = [](model::Severity s) { return s == model::Severity::Note ? "info" : scan::severity_name(s); };
  std::ostream& ds = o.diagnostics ? *o.diagnostics : os;
  for (const auto& d : r.diagnostics) {
    ds << escape_control(absolute(d.loc.file));
    if (d.loc.line > 0) ds << "(" << d.loc.line << "," << std::max(d.loc.column, 1) << ")";
    ds << ": " << word(d.severity) << " NX0000: " << escape_control(d.message) << "\n";
  }
  for (const FoldedLine& l : fold(r)) {
    const scan::Finding& f = *l.f;
    if (f.line == 0)
    {  // a PE image: file and offset
      scan::Finding at = f;
      at.file = absolute(f.file);
      os << escape_control(binary::finding_position(at)) << ": ";
    }
    else
      os << escape_control(absolute(f.file)) << "(" << f.line << "," << f.column << "): ";
    os << word(f.severity) << " " << f.rule << ": " << escape_control(f.message) << escape_control(l.suffix) << "\n";
  }
}

std::string summary_line(const scan::ScanResult& r, std::size_t baselined) {
  std::size_t n[3] = {0, 0, 0}, suppressed = 0, input_errors = 0;
  std::set<std::string> files;
  for (const FoldedLine& l : fold(r)) {
    ++n[static_cast<int>(l.f->severity)];
    files.insert(l.f->file);
  }
  std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> sup;
  for (const auto& f : r.findings)
    if (f.suppressed) sup.insert({f.file, f.line, f.column, f.rule});
  suppressed = sup.size();
  for (const auto& d : r.diagnostics) input_errors += d.severity == model::Severity::Error;
  std::set<std::string> configs;
  for (const auto& u : r.units)
    if (!u.config.empty()) configs.insert(u.config);
  auto count = [](std::size_t k, const char* one) {
    return std::to_string(k) + " " + one + (k == 1 ? "" : "s");
  };
  std::string s;
  const char* names[3] = {"note", "warning", "error"};
  for (int i = 2; i >= 0; --i)
    if (n[i]) s += (s.empty() ? "" : ", ") + count(n[i], names[i]);
  if (s.empty()) s = "no findings";
  else s += " in " + count(files.size(), "file");
  s += "; " + count(r.units.size(), "unit");
  if (!configs.empty()) s += " in " + count(configs.size(), "configuration");
  if (suppressed) s += "; " + std::to_string(suppressed) + " suppressed";
  if (baselined) s += "; " + std::to_string(baselined) + " in the baseline";
  if (input_errors) s += "; " + count(input_errors, "input error");
  return s;
}

}  // namespace nxpool::report
