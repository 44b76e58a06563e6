// Report pieces for PE images: positions, the `image` JSON record and the
// SARIF properties of the binary rules.
// Tested by tests/binary/cli_test.cpp.
#include "binary/image_report.h"

#include <fmt/format.h>

namespace nxpool::binary {

std::string finding_position(const scan::Finding& f) {
  return f.offset ? fmt::format("{}:{:#x}", f.file, f.offset) : f.file;
}

nlohmann::ordered_json image_record(const ImageFacts& f) {
  using json = nlohmann::ordered_json;
  json sections = json::array();
  for (const SectionFacts& s : f.sections)
    sections.push_back({{"name", s.name},
                        {"rva", s.rva},
                        {"virtual_size", s.virtual_size},
                        {"raw_offset", s.raw_offset},
                        {"raw_size", s.raw_size},
                        {"access", s.access},
                        {"discardable", s.discardable}});
  return {{"type", "image"},
          {"file", f.file},
          {"machine", f.machine},
          {"subsystem", f.subsystem},
          {"kind", f.kind},
          {"image_base", f.image_base},
          {"entry_rva", f.entry_rva},
          {"section_alignment", f.section_alignment},
          {"file_alignment", f.file_alignment},
          {"integrity_check", f.integrity_check},
          {"nx_compat", f.nx_compat},
          {"cfg", f.cfg},
          {"dynamic_base", f.dynamic_base},
          {"imports", f.imports},
          {"dlls", f.dlls},
          {"opt_in_globals", f.opt_in_globals},
          {"symbols", f.symbols},
          {"sections", sections},
          {"warnings", f.warnings}};
}

nlohmann::ordered_json rule_properties(std::string_view rule) {
  struct Row {
    std::string_view rule, verifier, counter;
  };
  // Verifier: bug check 0xC4 with this first parameter; counter: what the
  // Device Guard readiness tool called the problem ("" where it had none).
  static constexpr Row kRows[] = {
      {"NX4001", "0xC4/0x2003", "Execute-Write Section"},
      {"NX4002", "0xC4/0x2004", "Section Alignment Failures"},
      {"NX4003", "0xC4/0x2005", "IAT in Executable Section"},
      {"NX4004", "", "Unsupported Relocs"},
      // NX4005: no Verifier check or counter is documented for these APIs.
      // NX4006: 0x2000 pool type/flags, 0x2001 page protection, 0x2002 MDL
      // mapping, depending on the call; the tool counted executable pool.
      {"NX4006", "0xC4/0x2000, 0x2001, 0x2002", "Execute Pool Type"},
  };
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const Row& r : kRows)
    if (r.rule == rule) {
      if (!r.verifier.empty()) j["verifierCode"] = r.verifier;
      if (!r.counter.empty()) j["readinessCounter"] = r.counter;
    }
  return j;
}

}  // namespace nxpool::binary
