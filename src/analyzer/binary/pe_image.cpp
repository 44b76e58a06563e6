// PE/COFF parsing with every offset and size checked against the file.
//
// All reads go through Bytes, which answers "no" instead of reading past the
// end; arithmetic is done in 64 bits so that offset + size cannot wrap. The
// headers and the section table must be whole (else the file is not an image
// Windows would load, and parse_pe fails with the offset). The import table
// must be sound too: NX4003/NX4005/NX4006 depend on it, and a loop or a
// runaway table is a corrupt file. Exports, relocations and symbols are cut
// at the first bad entry with a warning.
// Tested by tests/binary/pe_parse_test.cpp and fuzz/pe_fuzz.cpp.
#include "binary/pe_image.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace nxpool::binary {
namespace {

// Limits, each well above what a real image has, so a hostile count cannot
// make the parser run long or allocate much.
constexpr std::uint32_t kMaxSections = 96;          // the PE format's own limit for images
constexpr std::uint32_t kMaxImportDlls = 4096;      // real drivers import from a handful
constexpr std::uint32_t kMaxThunksPerDll = 65536;   // one per ordinal at most
constexpr std::uint32_t kMaxImports = 200000;       // all DLLs together
constexpr std::uint32_t kMaxExports = 200000;
constexpr std::uint32_t kMaxSymbols = 2000000;      // COFF symbol records (18 bytes each)
constexpr std::uint32_t kMaxRelocs = 4000000;       // 2-byte entries; a 8 MB table
constexpr std::size_t kMaxName = 512;               // import/export/symbol names

struct Bytes {
  std::span<const std::uint8_t> d;
  bool has(std::uint64_t off, std::uint64_t n) const { return off <= d.size() && n <= d.size() - off; }
  bool u8(std::uint64_t off, std::uint8_t& v) const {
    if (!has(off, 1)) return false;
    v = d[off];
    return true;
  }
  bool u16(std::uint64_t off, std::uint16_t& v) const {
    if (!has(off, 2)) return false;
    v = static_cast<std::uint16_t>(d[off] | d[off + 1] << 8);
    return true;
  }
  bool u32(std::uint64_t off, std::uint32_t& v) const {
    if (!has(off, 4)) return false;
    v = static_cast<std::uint32_t>(d[off]) | static_cast<std::uint32_t>(d[off + 1]) << 8 |
        static_cast<std::uint32_t>(d[off + 2]) << 16 | static_cast<std::uint32_t>(d[off + 3]) << 24;
    return true;
  }
  bool u64(std::uint64_t off, std::uint64_t& v) const {
    std::uint32_t lo = 0, hi = 0;
    if (!u32(off, lo) || !u32(off + 4, hi)) return false;
    v = static_cast<std::uint64_t>(hi) << 32 | lo;
    return true;
  }
  // A NUL-terminated string of at most kMaxName bytes that ends inside the file.
  bool cstr(std::uint64_t off, std::string& s) const {
    s.clear();
    for (std::size_t i = 0; i < kMaxName; ++i) {
      std::uint8_t c = 0;
      if (!u8(off + i, c)) return false;
      if (c == 0) return true;
      s += static_cast<char>(c);
    }
    return false;
  }
};

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

bool fail(ParseError& err, std::uint64_t off, std::string msg) {
  err.offset = off;
  err.message = std::move(msg);
  return false;
}

bool parse_imports(const Bytes& b, PeImage& img, ParseError& err) {
  DataDirectory dd = img.dir(kDirImport);
  if (dd.rva == 0) return true;
  std::int64_t base = img.offset_of(dd.rva);
  if (base < 0) return fail(err, img.optional_header_offset, "import directory at RVA " + hex(dd.rva) + " is not in the file");
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;  // (lookup table, IAT) of each descriptor
  const std::uint32_t thunk = img.pe32plus ? 8 : 4;
  for (std::uint32_t i = 0;; ++i) {
    std::uint64_t off = static_cast<std::uint64_t>(base) + 20ull * i;
    if (i >= kMaxImportDlls) return fail(err, off, fmt::format("import directory has more than {} entries (a loop or a corrupt table)", kMaxImportDlls));
    std::uint32_t ilt = 0, name_rva = 0, iat = 0;
    if (!b.u32(off, ilt) || !b.u32(off + 12, name_rva) || !b.u32(off + 16, iat))
      return fail(err, off, "import directory runs past the end of the file");
    if (ilt == 0 && name_rva == 0 && iat == 0) return true;
    if (!seen.emplace(ilt, iat).second)
      return fail(err, off, fmt::format("import descriptor {} repeats an earlier one (an import directory loop)", i));
    std::string dll;
    std::int64_t noff = img.offset_of(name_rva);
    if (noff < 0 || !b.cstr(static_cast<std::uint64_t>(noff), dll))
      return fail(err, off, fmt::format("import descriptor {}: DLL name at RVA {} is not in the file", i, hex(name_rva)));
    std::uint32_t table = ilt ? ilt : iat;
    std::int64_t toff = img.offset_of(table);
    if (toff < 0) return fail(err, off, fmt::format("import descriptor {} ({}): thunk table at RVA {} is not in the file", i, dll, hex(table)));
    for (std::uint32_t k = 0;; ++k) {
      std::uint64_t at = static_cast<std::uint64_t>(toff) + static_cast<std::uint64_t>(k) * thunk;
      if (k >= kMaxThunksPerDll || img.imports.size() >= kMaxImports)
        return fail(err, at, fmt::format("imports from {} do not end (more than {} entries)", dll, kMaxThunksPerDll));
      std::uint64_t v = 0;
      std::uint32_t v32 = 0;
      bool ok = img.pe32plus ? b.u64(at, v) : b.u32(at, v32);
      if (!img.pe32plus) v = v32;
      if (!ok)
        return fail(err, at, fmt::format("imports from {} run past the end of the file", dll));
      if (v == 0) break;
      Import imp;
      imp.dll = dll;
      imp.iat_rva = iat + k * thunk;
      bool by_ordinal = img.pe32plus ? (v >> 63) != 0 : (v >> 31) != 0;
      if (by_ordinal) {
        imp.ordinal = static_cast<std::uint16_t>(v & 0xffff);
      } else {
        std::int64_t hoff = img.offset_of(static_cast<std::uint32_t>(v & 0x7fffffff));
        if (hoff < 0 || !b.cstr(static_cast<std::uint64_t>(hoff) + 2, imp.name))
          return fail(err, at, fmt::format("import {} from {}: name at RVA {} is not in the file", k, dll, hex(v & 0x7fffffff)));
      }
      img.imports.push_back(std::move(imp));
    }
  }
}

void parse_exports(const Bytes& b, PeImage& img) {
  DataDirectory dd = img.dir(kDirExport);
  if (dd.rva == 0) return;
  std::int64_t off = img.offset_of(dd.rva);
  std::uint32_t nfun = 0, nnames = 0, funs = 0, names = 0, ords = 0;
  if (off < 0 || !b.u32(off + 20, nfun) || !b.u32(off + 24, nnames) || !b.u32(off + 28, funs) ||
      !b.u32(off + 32, names) || !b.u32(off + 36, ords)) {
    img.warnings.push_back("export directory at RVA " + hex(dd.rva) + " is not in the file; exports ignored");
    return;
  }
  std::int64_t noff = img.offset_of(names), ooff = img.offset_of(ords), foff = img.offset_of(funs);
  for (std::uint32_t i = 0; i < nnames && i < kMaxExports; ++i) {
    std::uint32_t name_rva = 0, fn_rva = 0;
    std::uint16_t ord = 0;
    std::string name;
    std::int64_t s = -1;
    if (noff < 0 || ooff < 0 || foff < 0 || !b.u32(noff + 4ull * i, name_rva) || !b.u16(ooff + 2ull * i, ord) ||
        ord >= nfun || !b.u32(foff + 4ull * ord, fn_rva) || (s = img.offset_of(name_rva)) < 0 ||
        !b.cstr(static_cast<std::uint64_t>(s), name)) {
      img.warnings.push_back(fmt::format("export {} is not in the file; later exports ignored", i));
      return;
    }
    // Forwarders point into the export directory itself: not code.
    if (fn_rva >= dd.rva && fn_rva - dd.rva < dd.size) continue;
    img.symbols.push_back({std::move(name), fn_rva});
  }
}

void parse_relocs(const Bytes& b, PeImage& img) {
  DataDirectory dd = img.dir(kDirReloc);
  if (dd.rva == 0 || dd.size == 0) return;
  std::int64_t base = img.offset_of(dd.rva);
  if (base < 0) {
    img.warnings.push_back("relocation directory at RVA " + hex(dd.rva) + " is not in the file; relocations ignored");
    return;
  }
  std::uint64_t pos = 0;
  while (pos + 8 <= dd.size) {
    std::uint32_t page = 0, block = 0;
    std::uint64_t at = static_cast<std::uint64_t>(base) + pos;
    if (!b.u32(at, page) || !b.u32(at + 4, block) || block < 8 || block > dd.size - pos) {
      img.warnings.push_back("relocation block at offset " + hex(at) + " is corrupt; later relocations ignored");
      return;
    }
    for (std::uint32_t e = 8; e + 2 <= block; e += 2) {
      std::uint16_t v = 0;
      if (!b.u16(at + e, v) || img.relocs.size() >= kMaxRelocs) {
        img.warnings.push_back("relocation entry at offset " + hex(at + e) + " is not in the file; later relocations ignored");
        return;
      }
      img.relocs.push_back({page + (v & 0xfffu), static_cast<std::uint8_t>(v >> 12), static_cast<std::uint32_t>(at + e)});
    }
    pos += block;
  }
}

// COFF symbol table (present in images linked by GNU ld or with /DEBUG:COFF):
// function symbols give names to code.
void parse_coff_symbols(const Bytes& b, PeImage& img, std::uint32_t ptr, std::uint32_t count) {
  if (ptr == 0 || count == 0) return;
  std::uint64_t strtab = static_cast<std::uint64_t>(ptr) + 18ull * count;
  if (count > kMaxSymbols || !b.has(ptr, 18ull * count)) {
    img.warnings.push_back("COFF symbol table at offset " + hex(ptr) + " is not in the file; symbols ignored");
    return;
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint64_t at = ptr + 18ull * i;
    std::uint32_t value = 0, zeroes = 0, stroff = 0;
    std::uint16_t secno = 0, type = 0;
    std::uint8_t cls = 0, aux = 0;
    b.u32(at, zeroes);
    b.u32(at + 4, stroff);
    b.u32(at + 8, value);
    b.u16(at + 12, secno);
    b.u16(at + 14, type);
    b.u8(at + 16, cls);
    b.u8(at + 17, aux);
    i += aux;
    bool function = (type & 0x30) == 0x20;  // DT_FCN in the derived-type nibble
    if (!function || secno == 0 || secno > img.sections.size() || (cls != 2 && cls != 3)) continue;
    std::string name;
    if (zeroes == 0) {
      if (!b.cstr(strtab + stroff, name)) continue;
    } else {
      for (int k = 0; k < 8 && b.d[at + k] != 0; ++k) name += static_cast<char>(b.d[at + k]);
    }
    img.symbols.push_back({std::move(name), img.sections[secno - 1].virtual_address + value});
  }
}

}  // namespace

bool looks_like_pe(std::span<const std::uint8_t> data) { return data.size() >= 2 && data[0] == 'M' && data[1] == 'Z'; }

const Section* PeImage::section_at(std::uint32_t rva) const {
  for (const Section& s : sections)
    if (rva >= s.virtual_address && rva - s.virtual_address < std::max(s.extent(), s.raw_size)) return &s;
  return nullptr;
}

std::int64_t PeImage::offset_of(std::uint32_t rva) const {
  const Section* s = section_at(rva);
  if (!s) {
    // Headers are mapped at RVA 0 as they are in the file.
    std::uint32_t first = sections.empty() ? size_of_image : sections.front().virtual_address;
    for (const Section& x : sections) first = std::min(first, x.virtual_address);
    return rva < first ? static_cast<std::int64_t>(rva) : -1;
  }
  std::uint32_t d = rva - s->virtual_address;
  if (d >= s->raw_size) return -1;
  return static_cast<std::int64_t>(s->raw_offset) + d;
}

std::string PeImage::function_at(std::uint32_t rva) const {
  auto it = std::upper_bound(symbols.begin(), symbols.end(), rva, [](std::uint32_t r, const Symbol& s) { return r < s.rva; });
  if (it == symbols.begin()) return "";
  return std::prev(it)->name;
}

bool parse_pe(std::span<const std::uint8_t> data, PeImage& img, ParseError& err) {
  Bytes b{data};
  if (data.empty()) return fail(err, 0, "empty file (0 bytes), not a PE image");
  if (!looks_like_pe(data)) return fail(err, 0, "no MZ header: not a PE image");
  std::uint32_t pe = 0, sig = 0;
  if (!b.u32(0x3c, pe)) return fail(err, 0x3c, "file ends inside the DOS header (" + std::to_string(data.size()) + " bytes)");
  if (!b.u32(pe, sig)) return fail(err, pe, "PE header offset " + hex(pe) + " is past the end of the file");
  if (sig != 0x00004550) return fail(err, pe, "no PE signature at offset " + hex(pe));
  std::uint16_t nsec = 0, opt_size = 0;
  std::uint32_t symptr = 0, nsyms = 0;
  std::uint64_t coff = pe + 4ull;
  if (!b.u16(coff, img.machine) || !b.u16(coff + 2, nsec) || !b.u32(coff + 8, symptr) || !b.u32(coff + 12, nsyms) ||
      !b.u16(coff + 16, opt_size) || !b.u16(coff + 18, img.file_characteristics))
    return fail(err, coff, "file ends inside the COFF header");
  std::uint64_t opt = coff + 20;
  img.optional_header_offset = static_cast<std::uint32_t>(opt);
  std::uint16_t magic = 0;
  if (opt_size < 2 || !b.u16(opt, magic)) return fail(err, opt, "no optional header: an object file, not an image");
  if (magic != 0x10b && magic != 0x20b) return fail(err, opt, "unknown optional header magic " + hex(magic));
  img.pe32plus = magic == 0x20b;
  const std::uint64_t need = img.pe32plus ? 112 : 96;  // up to NumberOfRvaAndSizes
  if (opt_size < need || !b.has(opt, need)) return fail(err, opt, "file ends inside the optional header");
  std::uint32_t ndirs = 0;
  b.u32(opt + 16, img.entry_rva);
  if (img.pe32plus) {
    b.u64(opt + 24, img.image_base);
  } else {
    std::uint32_t ib = 0;
    b.u32(opt + 28, ib);
    img.image_base = ib;
  }
  b.u32(opt + 32, img.section_alignment);
  b.u32(opt + 36, img.file_alignment);
  b.u32(opt + 56, img.size_of_image);
  b.u16(opt + 68, img.subsystem);
  b.u16(opt + 70, img.dll_characteristics);
  b.u32(opt + need - 4, ndirs);
  ndirs = std::min<std::uint32_t>(ndirs, 16);
  ndirs = std::min<std::uint32_t>(ndirs, static_cast<std::uint32_t>((opt_size - need) / 8));
  for (std::uint32_t i = 0; i < ndirs; ++i) {
    DataDirectory d;
    if (!b.u32(opt + need + 8ull * i, d.rva) || !b.u32(opt + need + 8ull * i + 4, d.size))
      return fail(err, opt + need + 8ull * i, "file ends inside the data directories");
    img.directories.push_back(d);
  }
  if (nsec > kMaxSections) return fail(err, coff + 2, fmt::format("{} sections (an image has at most {})", nsec, kMaxSections));
  std::uint64_t table = opt + opt_size;
  if (!b.has(table, 40ull * nsec))
    return fail(err, table, fmt::format("section table ({} sections at offset {}) runs past the end of the file ({} bytes)",
                                        nsec, hex(table), data.size()));
  for (std::uint32_t i = 0; i < nsec; ++i) {
    std::uint64_t at = table + 40ull * i;
    Section s;
    for (int k = 0; k < 8 && data[at + k] != 0; ++k) s.name += static_cast<char>(data[at + k]);
    b.u32(at + 8, s.virtual_size);
    b.u32(at + 12, s.virtual_address);
    b.u32(at + 16, s.raw_size);
    b.u32(at + 20, s.raw_offset);
    b.u32(at + 36, s.characteristics);
    s.header_offset = static_cast<std::uint32_t>(at);
    // Bytes past the end of the file are not there to read: clamp (objdump
    // and the loader would reject the image, the rules can still look at it).
    if (!b.has(s.raw_offset, s.raw_size)) {
      img.warnings.push_back(fmt::format("section {} claims file bytes {}..{} past the end of the file", s.name,
                                         hex(s.raw_offset), hex(static_cast<std::uint64_t>(s.raw_offset) + s.raw_size)));
      s.raw_size = s.raw_offset < data.size() ? static_cast<std::uint32_t>(data.size() - s.raw_offset) : 0;
    }
    img.sections.push_back(std::move(s));
  }
  if (!parse_imports(b, img, err)) return false;
  parse_exports(b, img);
  parse_relocs(b, img);
  parse_coff_symbols(b, img, symptr, nsyms);
  // Load config GuardFlags: offset 88 (PE32) / 144 (PE32+) when the structure is that long.
  DataDirectory lc = img.dir(kDirLoadConfig);
  std::int64_t lcoff = lc.rva ? img.offset_of(lc.rva) : -1;
  std::uint32_t lcsize = 0, gf_at = img.pe32plus ? 144 : 88;
  if (lcoff >= 0 && b.u32(lcoff, lcsize) && lcsize >= gf_at + 4) b.u32(lcoff + gf_at, img.guard_flags);
  bool named = std::any_of(img.symbols.begin(), img.symbols.end(), [&](const Symbol& s) { return s.rva == img.entry_rva; });
  if (img.entry_rva && !named) img.symbols.push_back({"<entry point>", img.entry_rva});
  std::stable_sort(img.symbols.begin(), img.symbols.end(), [](const Symbol& a, const Symbol& c) { return a.rva < c.rva; });
  return true;
}

const char* machine_name(std::uint16_t m) {
  switch (m) {
    case kMachineAmd64: return "x64";
    case kMachineArm64: return "arm64";
    case kMachineI386: return "x86";
    case kMachineArmNt: return "arm";
  }
  return "unknown";
}

const char* subsystem_name(std::uint16_t s) {
  switch (s) {
    case 1: return "native";
    case 2: return "windows";
    case 3: return "console";
    case 10: return "efi-application";
    case 11: return "efi-boot-service-driver";
    case 12: return "efi-runtime-driver";
    case 16: return "windows-boot-application";
  }
  return "unknown";
}

}  // namespace nxpool::binary
