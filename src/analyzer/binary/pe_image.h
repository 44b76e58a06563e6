// A PE/COFF image as the binary rules need it: headers, sections, data
// directories, imports, exports, base relocations and COFF symbols.
//
// The parser reads hostile files. Every read goes through a bounds-checked
// view of the file, every table has a count limit (below), and a structural
// problem the rules cannot work around (no MZ/PE signature, headers or the
// section table past the end of the file) makes parse_pe() return an error
// with the file offset where it was found. Problems in optional tables
// (imports, exports, relocations, symbols) are recorded in `warnings` and the
// table is cut where it went wrong, so the section checks still run.
// Tested by tests/binary/pe_parse_test.cpp and fuzz/pe_fuzz.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nxpool::binary {

// Section characteristics (PE/COFF) the rules read.
inline constexpr std::uint32_t kScnCntCode = 0x00000020;
inline constexpr std::uint32_t kScnMemDiscardable = 0x02000000;
inline constexpr std::uint32_t kScnMemExecute = 0x20000000;
inline constexpr std::uint32_t kScnMemRead = 0x40000000;
inline constexpr std::uint32_t kScnMemWrite = 0x80000000;

inline constexpr std::uint16_t kMachineI386 = 0x014c;
inline constexpr std::uint16_t kMachineAmd64 = 0x8664;
inline constexpr std::uint16_t kMachineArm64 = 0xaa64;
inline constexpr std::uint16_t kMachineArmNt = 0x01c4;

// Data directory indexes.
inline constexpr int kDirExport = 0, kDirImport = 1, kDirException = 3, kDirReloc = 5, kDirLoadConfig = 10,
                     kDirIat = 12;

struct Section {
  std::string name;               // up to 8 characters ("/4"-style long names are kept as written)
  std::uint32_t virtual_address = 0;
  std::uint32_t virtual_size = 0;
  std::uint32_t raw_offset = 0;
  std::uint32_t raw_size = 0;
  std::uint32_t characteristics = 0;
  std::uint32_t header_offset = 0;  // file offset of this section's header
  bool writable() const { return (characteristics & kScnMemWrite) != 0; }
  bool executable() const { return (characteristics & (kScnMemExecute | kScnCntCode)) != 0; }
  std::uint32_t extent() const { return virtual_size ? virtual_size : raw_size; }
};

struct DataDirectory {
  std::uint32_t rva = 0;
  std::uint32_t size = 0;
};

struct Import {
  std::string dll;
  std::string name;               // "" when imported by ordinal
  std::uint16_t ordinal = 0;
  std::uint32_t iat_rva = 0;      // the slot the loader fills with the address
};

struct Symbol {
  std::string name;
  std::uint32_t rva = 0;
};

struct Reloc {
  std::uint32_t rva = 0;          // address the fix-up patches
  std::uint8_t type = 0;          // IMAGE_REL_BASED_*
  std::uint32_t entry_offset = 0; // file offset of the 2-byte entry
};

struct PeImage {
  std::uint16_t machine = 0;
  bool pe32plus = false;
  std::uint16_t subsystem = 0;
  std::uint16_t dll_characteristics = 0;
  std::uint16_t file_characteristics = 0;
  std::uint64_t image_base = 0;
  std::uint32_t entry_rva = 0;
  std::uint32_t section_alignment = 0;
  std::uint32_t file_alignment = 0;
  std::uint32_t size_of_image = 0;
  std::uint32_t optional_header_offset = 0;
  std::uint32_t guard_flags = 0;          // load config GuardFlags (0 if absent)
  std::vector<DataDirectory> directories; // NumberOfRvaAndSizes entries, at most 16
  std::vector<Section> sections;
  std::vector<Import> imports;
  std::vector<Symbol> symbols;            // exports and COFF function symbols, sorted by rva
  std::vector<Reloc> relocs;
  std::vector<std::string> warnings;      // problems in optional tables, with offsets

  DataDirectory dir(int i) const { return i < static_cast<int>(directories.size()) ? directories[i] : DataDirectory{}; }
  const Section* section_at(std::uint32_t rva) const;
  // File offset of `rva`, or -1 when it has no bytes in the file.
  std::int64_t offset_of(std::uint32_t rva) const;
  // The name of the symbol at or below `rva` ("" if none).
  std::string function_at(std::uint32_t rva) const;
};

struct ParseError {
  std::uint64_t offset = 0;
  std::string message;
};

// Parses `data`. On failure returns false and fills `err`; `img` is then
// partial and must not be used.
bool parse_pe(std::span<const std::uint8_t> data, PeImage& img, ParseError& err);

// True if `data` starts like a PE image (an "MZ" header).
bool looks_like_pe(std::span<const std::uint8_t> data);

const char* machine_name(std::uint16_t machine);     // "x64", "arm64", "x86", "arm", "unknown"
const char* subsystem_name(std::uint16_t subsystem); // "native", "windows", "console", "efi", ...

}  // namespace nxpool::binary
