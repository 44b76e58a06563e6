// JSON Lines: one object per line, each with a "type" (issue 5 item 6),
// documented field by field in docs/json-lines.md:
//   {"type":"header",  "format":"nxpool-json-lines","version"} first, always
//   {"type":"error",   "file","line","column","severity","message"}
//   {"type":"unit",    "file","mode","config","image","arch","source","latch",
//                      "conditional" (the deciding #define is under an unknown #if)}
//   {"type":"finding", "rule","severity","file","line","column","end_column",
//                      "message","mode","config","image","condition","macro",
//                      "suppressed" and, when suppressed, "suppression"
//                      and "justification"; "fingerprint" once assigned}
//                      (+ "offset" for a finding in a PE image, where line is 0)
//   {"type":"image",   ...} one per PE image scanned: binary/image_report.cpp
// Tested by tests/analyzer/report_test.cpp and tests/cli/.
#include <nlohmann/json.hpp>

#include "binary/image_report.h"
#include "report/report.h"

namespace nxpool::report {

void write_json_lines(std::ostream& os, const scan::ScanResult& r) {
  using json = nlohmann::ordered_json;
  // The first line says what the rest is. `version` changes only when a
  // field changes meaning or goes away; new fields and record types keep it.
  os << json({{"type", "header"}, {"format", "nxpool-json-lines"}, {"version", kJsonLinesVersion}}).dump() << "\n";
  for (const auto& d : r.diagnostics) {
    json j = {{"type", "error"},
              {"file", d.loc.file},
              {"line", d.loc.line},
              {"column", d.loc.column},
              {"severity", scan::severity_name(d.severity)},
              {"message", d.message}};
    os << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  for (const auto& u : r.units) {
    json j = {{"type", "unit"},   {"file", u.file},     {"mode", scan::mode_name(u.mode)},
              {"config", u.config}, {"image", u.image},   {"arch", u.arch},
              {"source", u.source}, {"latch", u.latch}, {"conditional", u.uncertain}};
    os << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  for (const auto& img : r.pe_images)
    os << binary::image_record(img).dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  for (const auto& f : r.findings) {
    json j = {{"type", "finding"},
              {"rule", f.rule},
              {"severity", scan::severity_name(f.severity)},
              {"file", f.file},
              {"line", f.line},
              {"column", f.column},
              {"end_column", f.end_column},
              {"message", f.message},
              {"mode", scan::mode_name(f.mode)},
              {"config", f.config},
              {"image", f.image},
              {"condition", f.condition},
              {"macro", f.macro},
              {"suppressed", f.suppressed}};
    if (f.suppressed) {
      j["suppression"] = f.suppression;
      j["justification"] = f.justification;
    }
    if (!f.fingerprint.empty()) j["fingerprint"] = f.fingerprint;
    if (f.line == 0 && f.offset) j["offset"] = f.offset;
    os << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
}

}  // namespace nxpool::report
