// Internal to scan/: preprocessing one unit (shared by the units of a file
// whose preprocessor input is equal) and running its rules.
// Tested through tests/analyzer/scanner_test.cpp and case_runner_test.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pp/file_cache.h"
#include "pp/preprocessor.h"
#include "rules/rules.h"
#include "scan/code_structure.h"
#include "scan/unit_input.h"

namespace nxpool::scan {

// The configuration-independent part of a unit: preprocessing and structure.
// It is preprocessed with placeholder origins ("\x02" line "\x03" for
// predefine line N); each unit then puts its own origins into the only two
// places origins reach (the latched values and the NX #define records)
// before its rules run.
struct Prepared {
  pp::UnitInput in;
  pp::PreprocessedUnit pre;
  CodeStructure cs;
  std::string latch_origin[3];              // optin, autov, optout, with placeholders
  std::vector<std::string> define_origin;   // per nx_defines entry, with placeholders
};

// What one unit produced.
struct UnitRun {
  std::optional<UnitRecord> record;
  rules::UnitOutcome outcome;
  std::vector<model::InputDiagnostic> diags;
};

Prepared prepare_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache);

// The per-unit part: mode, rules (whose findings name the unit's
// configuration and image), the unit record.
UnitRun run_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache, Prepared& prep);

}  // namespace nxpool::scan
