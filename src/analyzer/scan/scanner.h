// The scanner: `scan(BuildModel, options) -> ScanResult`.
//
// Build readers (compile_commands.json now, MSBuild and WDK `sources` files
// in src/analyzer/buildfiles/) produce model::CompileUnits grouped into images;
// every source they do not claim is scanned as a loose file with the
// command-line definitions. Each unit is preprocessed, its mode decided and
// the rules run; then images resolve NX1101 and the OPTIN findings.
#pragma once

#include <string>
#include <vector>

#include "model/compile_unit.h"
#include "scan/finding.h"

namespace nxpool::scan {

struct ScanOptions {
  std::vector<std::string> paths;               // loose files and directories
  std::vector<model::Definition> definitions;   // -D / -U, in order
  std::vector<std::string> include_dirs;        // -I
  model::Arch arch = model::Arch::X64;          // for units whose arch is Unknown
  bool hvci = false;                            // every executable site is an error
  bool kernel_mode = true;                      // loose files are kernel-mode sources
  unsigned jobs = 0;                            // worker threads; 0 = one per core
  // Reuse work across units (directive skeletons). Off only to compare
  // against the plain path in tests: output is the same either way.
  bool share_work = true;
  std::vector<std::string> enabled_rules;       // off-by-default rules to run (NX3004)
};

ScanResult scan(const model::BuildModel& build, const ScanOptions& options);
// The same, taking the model: each unit's settings are freed once it has run.
ScanResult scan(model::BuildModel&& build, const ScanOptions& options);

// True for C/C++ source and header extensions the directory walk collects.
bool is_source_extension(const std::string& path);
bool is_header_extension(const std::string& path);

}  // namespace nxpool::scan
