// Format dispatch, exit status and source-line lookup shared by the writers.
// Tested by tests/analyzer/report_test.cpp and tests/cli/.
#include "report/report.h"

#include <fstream>
#include <map>
#include <vector>

#include "lex/source_file.h"

namespace nxpool::report {

void write_report(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  switch (o.format) {
    case Format::Text:
      if (o.modes) write_modes(os, r);
      else write_text(os, r, o);
      break;
    case Format::Msvc:
      if (o.modes) write_modes(os, r);
      else write_msvc(os, r, o);
      break;
    case Format::Github:
      if (o.modes) write_modes(os, r);
      else write_github(os, r, o);
      break;
    case Format::Json:
      write_json_lines(os, r);
      break;
    case Format::Sarif:
      write_sarif(os, r, o);
      break;
  }
}

int exit_status(const scan::ScanResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.severity == model::Severity::Error) return 2;
  for (const auto& f : r.findings)
    if (!f.suppressed && f.severity != model::Severity::Note) return 1;
  return 0;
}

std::string input_position(const model::InputDiagnostic& d) {
  std::string s = d.loc.file;
  if (d.loc.line > 0) {
    s += ":" + std::to_string(d.loc.line);
    if (d.loc.column > 0) s += ":" + std::to_string(d.loc.column);
  }
  return s;
}

std::string source_line(const std::string& path, std::uint32_t line) {
  // Reports touch few files; keep the split lines of the last few.
  static std::map<std::string, std::vector<std::string>> cache;
  auto it = cache.find(path);
  if (it == cache.end()) {
    if (cache.size() > 64) cache.clear();
    std::vector<std::string> lines;
    lex::SourceText st = lex::load_source(path);
    if (st.status == lex::LoadStatus::Ok) {
      std::string cur;
      const std::string& t = st.text;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '\r' || t[i] == '\n') {
          if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
          lines.push_back(std::move(cur));
          cur.clear();
        } else {
          cur += t[i];
        }
      }
      lines.push_back(std::move(cur));
    }
    it = cache.emplace(path, std::move(lines)).first;
  }
  if (line == 0 || line > it->second.size()) return "";
  return it->second[line - 1];
}

}  // namespace nxpool::report
