// SARIF `fixes` (SARIF 2.1.0 §3.55): what `nxpool fix` would change for a
// result, so an editor can offer it. One fix per result, with one
// artifactChange for the result's file and one replacement per edit:
// deletedRegion (startLine/startColumn to endLine/endColumn, end exclusive,
// columns in code points like the result's own region) and
// insertedContent.text. Applying every replacement of every result gives
// the bytes `nxpool fix` writes, which tests/cli/sarif_fixes_test.cpp checks.
#include "report/sarif_parts.h"

namespace nxpool::report::sarif {

std::uint32_t code_point_column(const std::string& line, std::uint32_t byte_col) {
  if (byte_col == 0) return 0;
  std::uint32_t col = 1;
  for (std::size_t i = 0; i + 1 < byte_col; ++i)
    if (i >= line.size() || (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  return col;
}

nlohmann::ordered_json fix_json(const SiteFix& fix, const nlohmann::ordered_json& artifact) {
  using json = nlohmann::ordered_json;
  json replacements = json::array();
  for (const SiteFix::Replacement& r : fix.replacements) {
    json region = {{"startLine", r.start_line},
                   {"startColumn", code_point_column(source_line(fix.file, r.start_line), r.start_column)},
                   {"endLine", r.end_line},
                   {"endColumn", code_point_column(source_line(fix.file, r.end_line), r.end_column)}};
    replacements.push_back({{"deletedRegion", region}, {"insertedContent", {{"text", r.inserted}}}});
  }
  return json{{"description", {{"text", "nxpool fix: the " + fix.rule + " fix (docs/fix.md)"}}},
              {"artifactChanges", json::array({{{"artifactLocation", artifact}, {"replacements", replacements}}})}};
}

}  // namespace nxpool::report::sarif
