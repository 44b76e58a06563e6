// gcc-style and MSVC-style lines (the --modes table is modes_report.cpp).
//   text:  path:line:col: warning: message [NX2001]
//   msvc:  path(line,col): warning NX2001: message
// Input problems use the same shapes without a rule id. A finding (same
// place, rule and message) is printed once however many configurations and
// images have it: "(all N configurations)" when it holds in every
// configuration its file was analysed in (for a header: every configuration
// of the images it was reported for), else the list of its configurations. Tested by
// tests/analyzer/report_test.cpp.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "binary/image_report.h"
#include "report/escape.h"
#include "report/report.h"

namespace nxpool::report {
namespace {

struct Line {
  const scan::Finding* f;
  std::string suffix;  // " (Release|x64)", " (all 4 configurations)" or ""
};

std::vector<Line> fold(const scan::ScanResult& r) {
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
    Key k{f.file, f.line, f.column, f.rule, f.message, static_cast<int>(f.severity)};
    auto [it, fresh] = group_of.emplace(k, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&f);
  }
  std::vector<Line> out;
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

}  // namespace

void write_text(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  for (const auto& d : r.diagnostics)
    os << escape_control(input_position(d)) << ": " << scan::severity_name(d.severity) << ": "
       << escape_control(d.message) << "\n";
  for (const Line& l : fold(r)) {
    const scan::Finding& f = *l.f;
    if (f.line == 0)  // a PE image: file and offset
      os << escape_control(binary::finding_position(f));
    else
      os << escape_control(f.file) << ":" << f.line << ":" << f.column;
    os << ": " << scan::severity_name(f.severity) << ": " << escape_control(f.message) << escape_control(l.suffix)
       << " [" << f.rule << "]\n";
    if (o.source_context && f.line > 0) {
      std::string src = source_line(f.file, f.line);
      if (!src.empty()) {
        os << " " << src << "\n ";
        for (std::uint32_t c = 1; c < f.column && c - 1 < src.size(); ++c) os << (src[c - 1] == '\t' ? '\t' : ' ');
        os << "^";
        for (std::uint32_t c = f.column + 1; c < f.end_column; ++c) os << '~';
        os << "\n";
      }
    }
  }
}

void write_msvc(std::ostream& os, const scan::ScanResult& r) {
  for (const auto& d : r.diagnostics) {
    os << escape_control(d.loc.file);
    if (d.loc.line > 0) os << "(" << d.loc.line << "," << std::max(d.loc.column, 1) << ")";
    os << ": " << scan::severity_name(d.severity) << " : " << escape_control(d.message) << "\n";
  }
  for (const Line& l : fold(r)) {
    const scan::Finding& f = *l.f;
    if (f.line == 0)  // a PE image: file and offset
      os << escape_control(binary::finding_position(f)) << ": ";
    else
      os << escape_control(f.file) << "(" << f.line << "," << f.column << "): ";
    os << scan::severity_name(f.severity) << " " << f.rule << ": " << escape_control(f.message)
       << escape_control(l.suffix) << "\n";
  }
}

}  // namespace nxpool::report
