// gcc-style and MSVC-style lines, and the --modes table.
//   text:  path:line:col: warning: message [NX2001]
//   msvc:  path(line,col): warning NX2001: message
// Input problems use the same shapes without a rule id. With several
// configurations, a finding that holds (with the same message) in every
// configuration its file was analysed in is printed once, saying so; any
// other finding names its configuration. Tested by
// tests/analyzer/report_test.cpp.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/report.h"

namespace nxpool::report {
namespace {

std::string position(const model::InputDiagnostic& d) {
  std::string s = d.loc.file;
  if (d.loc.line > 0) {
    s += ":" + std::to_string(d.loc.line);
    if (d.loc.column > 0) s += ":" + std::to_string(d.loc.column);
  }
  return s;
}

struct Line {
  const scan::Finding* f;
  std::string suffix;  // " (Release|x64)", " (all 4 configurations)" or ""
};

std::vector<Line> fold(const scan::ScanResult& r) {
  std::map<std::string, std::set<std::string>> configs;
  for (const auto& u : r.units)
    if (!u.config.empty()) configs[u.file].insert(u.config);
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
    auto all = configs.find(g.front()->file);
    if (g.size() > 1 && all != configs.end() && have == all->second) {
      out.push_back({g.front(), " (all " + std::to_string(have.size()) + " configurations)"});
      continue;
    }
    for (const scan::Finding* f : g) out.push_back({f, f->config.empty() ? "" : " (" + f->config + ")"});
  }
  return out;
}

}  // namespace

void write_text(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  for (const auto& d : r.diagnostics)
    os << position(d) << ": " << scan::severity_name(d.severity) << ": " << d.message << "\n";
  for (const Line& l : fold(r)) {
    const scan::Finding& f = *l.f;
    os << f.file << ":" << f.line << ":" << f.column << ": " << scan::severity_name(f.severity) << ": " << f.message
       << l.suffix << " [" << f.rule << "]\n";
    if (o.source_context) {
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
    os << d.loc.file;
    if (d.loc.line > 0) os << "(" << d.loc.line << "," << std::max(d.loc.column, 1) << ")";
    os << ": " << scan::severity_name(d.severity) << " : " << d.message << "\n";
  }
  for (const Line& l : fold(r)) {
    const scan::Finding& f = *l.f;
    os << f.file << "(" << f.line << "," << f.column << "): " << scan::severity_name(f.severity) << " " << f.rule
       << ": " << f.message << l.suffix << "\n";
  }
}

void write_modes(std::ostream& os, const scan::ScanResult& r) {
  std::size_t wf = 4, wc = 6, wa = 4, wm = 4;
  for (const auto& u : r.units) {
    wf = std::max(wf, u.file.size());
    wc = std::max(wc, u.config.size());
    wa = std::max(wa, u.arch.size());
    wm = std::max(wm, std::string(scan::mode_name(u.mode)).size() + (u.uncertain ? 1 : 0));
  }
  auto pad = [&](const std::string& s, std::size_t w) { os << s << std::string(w - std::min(w, s.size()) + 2, ' '); };
  pad("FILE", wf);
  pad("CONFIG", wc);
  pad("ARCH", wa);
  pad("MODE", wm);
  os << "SOURCE\n";
  for (const auto& u : r.units) {
    pad(u.file, wf);
    pad(u.config.empty() ? "-" : u.config, wc);
    pad(u.arch, wa);
    pad(std::string(scan::mode_name(u.mode)) + (u.uncertain ? "?" : ""), wm);
    os << u.source;
    if (!u.latch.empty()) os << "; latched at " << u.latch;
    os << "\n";
  }
  bool any_uncertain = std::any_of(r.units.begin(), r.units.end(), [](const auto& u) { return u.uncertain; });
  if (any_uncertain) os << "(? = the deciding definition is inside an #if whose condition the scan cannot know)\n";
  for (const auto& d : r.diagnostics)
    if (d.severity == model::Severity::Error) os << position(d) << ": error: " << d.message << "\n";
}

}  // namespace nxpool::report
