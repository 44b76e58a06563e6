// Writing a ScanResult in the formats of issue 5 item 6: gcc-style text,
// MSVC/MSBuild, JSON Lines and SARIF 2.1.0, plus the --modes table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "scan/finding.h"

namespace nxpool::report {

enum class Format { Text, Msvc, Json, Sarif, Github };

// The edits `nxpool fix` would make for one site, for SARIF `fixes`
// (replacements in 1-based lines and byte columns of the file's text, as
// the analyzer counts them; the SARIF writer converts to code points).
struct SiteFix {
  std::string file;
  std::uint32_t line = 0, column = 0;
  std::string rule;
  struct Replacement {
    std::uint32_t start_line = 0, start_column = 0, end_line = 0, end_column = 0;
    std::string inserted;
  };
  std::vector<Replacement> replacements;
};

struct ReportOptions {
  Format format = Format::Text;
  bool source_context = false;  // text: print the source line and a caret (stdout is a terminal)
  bool modes = false;           // text/msvc: print the per-file mode table instead of findings
  std::string tool_version = "0.1.0";
  // SARIF: %SRCROOT% (absolute; "" = the git checkout around the current
  // directory, else the current directory), and the rule help URL template
  // ("{rule}" is replaced; "" = no helpUri).
  std::string source_root;
  std::string help_uri;
  // Text: colour (SGR escapes), and the closing summary line.
  bool color = false;
  bool summary = false;
  std::size_t baselined = 0;  // findings the baseline dropped, for the summary
  // Text, msvc and github formats: input diagnostics go here instead of
  // the report stream when set (the CLI passes stderr).
  std::ostream* diagnostics = nullptr;
  // SARIF: the safe fixes, by site (file, line, column, rule); null = none.
  const std::vector<SiteFix>* fixes = nullptr;
};

void write_report(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o);

// The parts, for tests.
void write_text(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o);
void write_msvc(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o = {});
void write_modes(std::ostream& os, const scan::ScanResult& r);
// Version of the JSON Lines schema written in the first ("header") record.
inline constexpr int kJsonLinesVersion = 1;
void write_json_lines(std::ostream& os, const scan::ScanResult& r);
void write_sarif(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o);
void write_github(std::ostream& os, const scan::ScanResult& r, const ReportOptions& o = {});
// "3 warnings, 1 note in 2 files; 412 units in 4 configurations; 2 suppressed"
std::string summary_line(const scan::ScanResult& r, std::size_t baselined);

// The Markdown page of a rule (docs/rules/NXnnnn.md, built in), or "".
std::string_view rule_page(std::string_view id);

// 0 clean, 1 a warning or error finding, 2 an input error (issue 5 item 6).
int exit_status(const scan::ScanResult& r);

// "file:line:col" of an input diagnostic (line and column only when known).
std::string input_position(const model::InputDiagnostic& d);

// Line `line` (1-based) of `path`, without its line ending; "" if unavailable.
std::string source_line(const std::string& path, std::uint32_t line);

}  // namespace nxpool::report
