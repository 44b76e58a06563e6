// NX4000-NX4005: what the image's headers and tables say. Each check reads
// the parsed PeImage only; the offsets in findings point at the header or
// table entry a reader would open in a hex editor (section header, IAT
// directory entry, relocation entry, import name).
// Tested by tests/binary/rules_test.cpp.
#include <algorithm>

#include <fmt/format.h>

#include "binary/pe_rules.h"
#include "rules/registry.h"

namespace nxpool::binary {
namespace {

constexpr std::uint32_t kPage = 0x1000;  // 4 KB pages on x64 and ARM64, the unit HVCI protects

std::string access_of(std::uint32_t c) {
  std::string a = "---";
  if (c & kScnMemRead) a[0] = 'r';
  if (c & kScnMemWrite) a[1] = 'w';
  if (c & (kScnMemExecute | kScnCntCode)) a[2] = 'x';
  return a;
}

bool is_init(const std::string& name) { return name == "INIT" || name.rfind("INIT$", 0) == 0; }

}  // namespace

void Emitter::operator()(const char* rule, std::uint64_t offset, std::string message) {
  scan::Finding f;
  f.rule = rule;
  const rules::RuleInfo* info = rules::find_rule(rule);
  f.severity = info ? info->severity : model::Severity::Warning;
  if (info && info->executable_site && opt_.hvci) f.severity = model::Severity::Error;
  f.file = display_;
  f.offset = offset;
  f.message = std::move(message);
  f.image = display_;
  out_.findings.push_back(std::move(f));
}

ImageFacts facts_of(const PeImage& img, const std::string& display) {
  ImageFacts f;
  f.file = display;
  f.machine = machine_name(img.machine);
  f.subsystem = subsystem_name(img.subsystem);
  f.kind = img.subsystem == 1 ? "driver" : (img.file_characteristics & 0x2000) ? "dll" : "exe";
  f.image_base = img.image_base;
  f.entry_rva = img.entry_rva;
  f.section_alignment = img.section_alignment;
  f.file_alignment = img.file_alignment;
  f.integrity_check = (img.dll_characteristics & 0x0080) != 0;
  f.nx_compat = (img.dll_characteristics & 0x0100) != 0;
  f.cfg = (img.dll_characteristics & 0x4000) != 0;
  f.dynamic_base = (img.dll_characteristics & 0x0040) != 0;
  for (const Import& i : img.imports)
    if (f.dlls.empty() || f.dlls.back() != i.dll) f.dlls.push_back(i.dll);
  f.imports = img.imports.size();
  f.symbols = std::any_of(img.symbols.begin(), img.symbols.end(), [](const Symbol& s) { return s.name != "<entry point>"; });
  // The opt-in globals are the image's own (selectany) data: visible only
  // when the image carries symbols for them, or imports them by mistake.
  for (const char* g : {"ExDefaultNonPagedPoolType", "ExDefaultMdlProtection"}) {
    bool seen = std::any_of(img.symbols.begin(), img.symbols.end(), [&](const Symbol& s) { return s.name == g; }) ||
                std::any_of(img.imports.begin(), img.imports.end(), [&](const Import& i) { return i.name == g; });
    if (seen) f.opt_in_globals.push_back(g);
  }
  for (const Section& s : img.sections)
    f.sections.push_back({s.name, s.virtual_address, s.virtual_size, s.raw_offset, s.raw_size,
                          access_of(s.characteristics), (s.characteristics & kScnMemDiscardable) != 0});
  f.warnings = img.warnings;
  return f;
}

void note_facts(const ImageFacts& f, Emitter& emit) {
  auto yn = [](bool b) { return b ? "yes" : "no"; };
  std::string opt_in = !f.opt_in_globals.empty() ? fmt::format("{}", fmt::join(f.opt_in_globals, ", "))
                       : f.symbols                ? "none in the symbols"
                                                  : "not visible (no symbols)";
  emit("NX4000", 0,
       fmt::format("{} {} image, subsystem {}: /INTEGRITYCHECK {}, NX compatible {}, Control Flow Guard {}, "
                   "section alignment {:#x}, imported functions: {} from {}; NX opt-in globals: {}",
                   f.machine, f.kind, f.subsystem, yn(f.integrity_check), yn(f.nx_compat), yn(f.cfg),
                   f.section_alignment, f.imports, f.dlls.empty() ? "no DLL" : fmt::format("{}", fmt::join(f.dlls, ", ")),
                   opt_in));
  for (const std::string& w : f.warnings) emit("NX4000", 0, "image table problem, worked around: " + w);
}

void check_sections(const PeImage& img, Emitter& emit) {
  for (const Section& s : img.sections) {
    if (!(s.writable() && s.executable())) continue;
    if (is_init(s.name)) {
      emit("NX4001", s.header_offset,
           fmt::format("section {} (RVA {:#x}) is writable and executable; it is the INIT section, which Windows "
                       "frees after the driver's initialisation, but the W+X header is what the load-time check "
                       "reads: Driver Verifier stops with 0xC4/0x2003 and memory integrity refuses the image",
                       s.name, s.virtual_address));
    } else {
      emit("NX4001", s.header_offset,
           fmt::format("section {} (RVA {:#x}) is writable and executable: Driver Verifier stops with 0xC4/0x2003 "
                       "and memory integrity (HVCI) refuses the image",
                       s.name, s.virtual_address));
    }
  }
  if (img.section_alignment < kPage || img.section_alignment % kPage != 0) {
    emit("NX4002", img.optional_header_offset + 32,
         fmt::format("section alignment is {:#x}, not a multiple of the {:#x}-byte page: sections share pages, so "
                     "code and data cannot get separate protections (Driver Verifier 0xC4/0x2004)",
                     img.section_alignment, kPage));
  }
  for (const Section& s : img.sections) {
    if (s.virtual_address % kPage == 0) continue;
    emit("NX4002", s.header_offset,
         fmt::format("section {} starts at RVA {:#x}, which is not page-aligned (Driver Verifier 0xC4/0x2004)", s.name,
                     s.virtual_address));
  }
}

void check_iat(const PeImage& img, Emitter& emit) {
  // The IAT directory when the linker wrote one, else each DLL's thunk array.
  std::vector<std::uint32_t> at;
  DataDirectory iat = img.dir(kDirIat);
  if (iat.rva) at.push_back(iat.rva);
  else
    for (std::size_t i = 0; i < img.imports.size(); ++i)
      if (i == 0 || img.imports[i].dll != img.imports[i - 1].dll) at.push_back(img.imports[i].iat_rva);
  for (std::uint32_t rva : at) {
    const Section* s = img.section_at(rva);
    if (!s || !s->executable()) continue;
    emit("NX4003", img.optional_header_offset + (img.pe32plus ? 112 : 96) + 8 * kDirIat,
         fmt::format("the import address table (RVA {:#x}) is in the executable section {}: the loader must write "
                     "it, so the section cannot be read-only code (Driver Verifier 0xC4/0x2005)",
                     rva, s->name));
    return;  // one finding per image: the cause is one /MERGE or section layout
  }
}

void check_relocs(const PeImage& img, Emitter& emit) {
  for (const Reloc& r : img.relocs) {
    std::uint32_t width = 0;
    switch (r.type) {
      case 1: case 2: case 4: width = 2; break;  // HIGH, LOW, HIGHADJ
      case 3: width = 4; break;                  // HIGHLOW
      case 10: width = 8; break;                 // DIR64
      case 5: width = 8; break;                  // ARM MOV32 / MIPS JMPADDR: a pair of 4-byte instructions
      default: continue;                         // ABSOLUTE (padding) and types with no fixed width
    }
    std::uint32_t in_page = r.rva % kPage;
    if (in_page + width <= kPage) continue;
    const Section* s = img.section_at(r.rva);
    emit("NX4004", r.entry_offset,
         fmt::format("base relocation at RVA {:#x} ({} bytes{}{}) straddles a page boundary: Windows 10 1507-1607 "
                     "with memory integrity cannot apply it",
                     r.rva, width, s ? ", section " : "", s ? s->name : ""));
  }
}

void check_imports(const PeImage& img, Emitter& emit) {
  struct Api {
    const char* name;
    const char* instead;
  };
  static constexpr Api kApis[] = {
      {"MmMapIoSpace", "MmMapIoSpaceEx with PAGE_READWRITE | PAGE_NOCACHE"},
      {"MmAllocateContiguousMemory", "MmAllocateContiguousNodeMemory with PAGE_READWRITE"},
      {"MmAllocateContiguousMemorySpecifyCache", "MmAllocateContiguousNodeMemory with PAGE_READWRITE"},
      {"MmAllocateContiguousMemorySpecifyCacheNode", "MmAllocateContiguousNodeMemory with PAGE_READWRITE"},
      {"MmMapLockedPages", "MmMapLockedPagesSpecifyCache with MdlMappingNoExecute"},
  };
  for (const Import& i : img.imports)
    for (const Api& a : kApis)
      if (i.name == a.name) {
        std::int64_t off = img.offset_of(i.iat_rva);
        emit("NX4005", off < 0 ? 0 : static_cast<std::uint64_t>(off),
             fmt::format("imports {} from {} (IAT slot RVA {:#x}): it can only give executable memory; use {}", i.name,
                         i.dll, i.iat_rva, a.instead));
      }
}

}  // namespace nxpool::binary
