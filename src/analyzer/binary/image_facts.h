// The `image` record: what nxpool saw in one PE image (JSON Lines
// {"type":"image",...}, SARIF runs[0].properties.peImages). Plain data, so
// scan/finding.h can hold it without depending on the parser.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nxpool::binary {

struct SectionFacts {
  std::string name;
  std::uint32_t rva = 0;
  std::uint32_t virtual_size = 0;
  std::uint32_t raw_offset = 0;
  std::uint32_t raw_size = 0;
  std::string access;             // "r-x", "rw-", "rwx" ... from the characteristics
  bool discardable = false;       // INIT-style: freed after initialisation
};

struct ImageFacts {
  std::string file;               // display path
  std::string machine;            // "x64", "arm64", ...
  std::string subsystem;          // "native", "windows", ...
  std::string kind;               // "driver", "dll", "exe"
  std::uint64_t image_base = 0;
  std::uint32_t entry_rva = 0;
  std::uint32_t section_alignment = 0;
  std::uint32_t file_alignment = 0;
  bool integrity_check = false;   // /INTEGRITYCHECK (FORCE_INTEGRITY)
  bool nx_compat = false;         // /NXCOMPAT
  bool cfg = false;               // /guard:cf (GUARD_CF)
  bool dynamic_base = false;
  std::vector<std::string> dlls;  // imported DLLs in table order
  std::size_t imports = 0;
  std::vector<std::string> opt_in_globals;  // ExDefaultNonPagedPoolType ... when symbols show them
  bool symbols = false;           // exports or COFF symbols were there to look at
  std::vector<SectionFacts> sections;
  std::vector<std::string> warnings;  // table problems the parser worked around
};

}  // namespace nxpool::binary
