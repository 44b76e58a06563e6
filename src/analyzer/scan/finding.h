// What a scan produces: findings (about NX), unit records (the mode of each
// translation unit) and input diagnostics (about unreadable input).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "binary/image_facts.h"
#include "model/compile_unit.h"
#include "scan/mode.h"

namespace nxpool::scan {

struct Finding {
  std::string rule;                 // "NX2001"
  model::Severity severity = model::Severity::Warning;
  std::string file;                 // display path (relative to the current directory)
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_column = 0;     // exclusive
  std::string message;
  NxMode mode = NxMode::None;
  std::string config;
  std::string image;
  std::string condition;            // unknown #if condition it depends on ("" = always)
  std::string macro;                // macro whose expansion holds the token ("" = none)
  std::uint64_t offset = 0;         // PE images (line 0): file offset the finding is about
  std::string unit;                 // display path of the unit's main source (for `nxpool fix`)
  std::uint32_t ntddi = 0;          // NX3004: the unit's target (NTDDI_VERSION value, 0 = unknown)
  // Set after the scan by suppress::apply_filters (src/analyzer/suppress/).
  bool suppressed = false;          // an in-source suppression covers it
  std::string suppression;          // which: "pragma warning", "pragma prefast", "nxpool-ignore"
  std::string justification;        // the reason written with it ("" = none)
  std::string fingerprint;          // baseline/SARIF fingerprint of its site ("" = not computed)
};

struct UnitRecord {
  std::string file;
  std::string config;
  std::string image;
  NxMode mode = NxMode::None;
  std::string source;               // where the mode comes from
  std::string latch;                // "file:line" of the include that latched, or ""
  std::string arch;                 // "x86", "x64", "arm", "arm64"
  bool uncertain = false;
};

// One image (all its configurations), for the --modes headings.
struct ImageRecord {
  std::string name;                 // Image::name, or "<scan>" for loose files
  model::ImageKind kind = model::ImageKind::Unknown;
  std::string build_file;           // display path of the file defining it ("" for <scan>)
  std::vector<std::string> configs; // in the order the build file declares them
};

struct ScanResult {
  std::vector<ImageRecord> images;  // in build-model order, "<scan>" last
  std::vector<UnitRecord> units;
  std::vector<Finding> findings;
  std::vector<model::InputDiagnostic> diagnostics;
  std::vector<binary::ImageFacts> pe_images;  // one per PE image scanned (binary/)
  std::uint64_t bytes = 0;          // bytes of every file read
  std::uint64_t files = 0;          // files read
};

const char* severity_name(model::Severity s);  // "note", "warning", "error"
const char* image_kind_name(model::ImageKind k);  // "driver", "dll", "static library" ...

}  // namespace nxpool::scan
