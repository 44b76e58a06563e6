// --format github: GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request's diff:
//   ::warning file=src/drv.c,line=4,col=37,endColumn=49,title=NX2001::message
// Notes are ::notice. Paths are relative to the repository root (the
// workspace GitHub checks out), property values escape % \r \n : and , and
// messages escape % \r \n, as the runner's parser expects.
// Tested by tests/cli/formats_test.cpp.
#include <filesystem>

#include "report/report.h"
#include "report/text_fold.h"

namespace nxpool::report {
namespace {

std::string escape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* command(model::Severity s) {
  switch (s) {
    case model::Severity::Note: return "notice";
    case model::Severity::Warning: return "warning";
    case model::Severity::Error: return "error";
  }
  return "warning";
}

}  // namespace

void write_github(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o) {
  namespace fs = std::filesystem;
  auto path = [&](const std::string& file) {
    if (o.source_root.empty() || file.empty() || file[0] == '<') return file;
    std::error_code ec;
    fs::path rel = fs::absolute(file, ec).lexically_normal().lexically_relative(o.source_root);
    return rel.empty() || *rel.begin() == ".." ? file : rel.generic_string();
  };
  std::ostream& ds = o.diagnostics ? *o.diagnostics : os;
  for (const auto& d : r.diagnostics) {
    ds << "::" << command(d.severity) << " file=" << escape(path(d.loc.file), true);
    if (d.loc.line > 0) ds << ",line=" << d.loc.line;
    if (d.loc.column > 0) ds << ",col=" << d.loc.column;
    ds << ",title=nxpool input::" << escape(d.message, false) << "\n";
  }
  for (const FoldedLine& l : fold(r)) {
    const scan::Finding& f = *l.f;
    os << "::" << command(f.severity) << " file=" << escape(path(f.file), true) << ",line=" << f.line
       << ",col=" << f.column;
    if (f.end_column > f.column) os << ",endColumn=" << f.end_column;
    os << ",title=" << f.rule << "::" << escape(f.message + l.suffix, false) << "\n";
  }
  if (o.summary) os << summary_line(r, o.baselined) << "\n";
}

}  // namespace nxpool::report
