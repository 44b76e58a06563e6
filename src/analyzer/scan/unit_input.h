// Internal to scan/: what the preprocessor gets for one unit (predefined
// macros, definitions in command-line order with their origins, include
// paths), and the key under which units share one preprocessing.
// Tested through tests/analyzer/scanner_test.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "model/compile_unit.h"
#include "pp/preprocessor.h"
#include "scan/scanner.h"

namespace nxpool::scan {

// A unit to scan: from the build model, or a loose file.
struct PendingUnit {
  model::CompileUnit unit;
  std::string path;  // normalised
  bool loose = false;
};

std::string lower_ext(const std::string& path);
bool is_macro_name(const std::string& name);
model::Arch unit_arch(const PendingUnit& pu, const ScanOptions& opt);
// `origins` false: every predefine_origins entry is empty (the key and the
// shared preprocessing do not use them; building them was 5 % of a scan).
pp::UnitInput make_input(const PendingUnit& pu, const ScanOptions& opt, model::Arch arch, bool origins = true);

// Everything the preprocessor sees, except where each predefined line came
// from: units with equal keys preprocess to the same tokens and latch.
std::string input_key(const pp::UnitInput& in);

model::InputDiagnostic input_diag(const std::string& file, std::uint32_t line, std::uint32_t col,
                                  model::Severity sev, std::string msg);

}  // namespace nxpool::scan
