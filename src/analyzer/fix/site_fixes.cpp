// `nxpool fix`'s edits as SARIF replacements. An edit is an offset and a
// length in the text the lexer saw; SARIF wants lines and columns. Lines
// end where the lexer ends them (LF, CRLF, a lone CR), so the positions
// here name the same places as the findings' own; columns are 1-based byte
// columns, turned into code points by the SARIF writer. An edit that ends
// at a line break's end (a removed line) ends at column 1 of the next line.
// Tested by tests/cli/sarif_fixes_test.cpp, which applies the replacements
// and compares the files with the ones `nxpool fix` writes.
#include <algorithm>

#include "fix/fix.h"

namespace nxpool::fix {
namespace {

// Offsets where each line starts in `text` (line 1 at index 0).
std::vector<std::size_t> line_starts_any_eol(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (text[i] == '\n' || text[i] == '\r') starts.push_back(i + 1);
  }
  return starts;
}

std::pair<std::uint32_t, std::uint32_t> line_col(const std::vector<std::size_t>& starts, std::size_t offset) {
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - starts.begin());
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(offset - starts[line - 1] + 1)};
}

}  // namespace

std::vector<report::SiteFix> site_fixes(const FixPlan& plan) {
  std::vector<report::SiteFix> out;
  std::map<std::string, std::vector<std::size_t>> starts;
  for (const SiteEdits& s : plan.sites) {
    auto file = plan.files.find(s.site.file);
    if (file == plan.files.end()) continue;
    auto it = starts.find(s.site.file);
    if (it == starts.end()) it = starts.emplace(s.site.file, line_starts_any_eol(file->second.source.text)).first;
    report::SiteFix f{s.site.file, s.site.line, s.site.column, s.site.rule, {}};
    for (const Edit& e : s.edits) {
      auto [l0, c0] = line_col(it->second, e.offset);
      auto [l1, c1] = line_col(it->second, e.offset + e.length);
      f.replacements.push_back({l0, c0, l1, c1, e.replacement});
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace nxpool::fix
