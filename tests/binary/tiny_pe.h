// A minimal PE32+ image built in memory, for parser tests that must not
// depend on a toolchain: headers, .text (RVA 0x1000) and .rdata (RVA
// 0x2000) holding one import descriptor for ntoskrnl.exe with one import.
// Tests then break it on purpose.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace nxpool::binary::test {

inline void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = v & 0xff;
  b[at + 1] = v >> 8;
}
inline void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = (v >> (8 * i)) & 0xff;
}

struct TinyPe {
  static constexpr std::size_t kPe = 0x40, kCoff = kPe + 4, kOpt = kCoff + 20, kSections = kOpt + 240;
  static constexpr std::size_t kRdata = 0x400;  // file offset of .rdata (RVA 0x2000)
  std::vector<std::uint8_t> b = std::vector<std::uint8_t>(0x600, 0);

  TinyPe() {
    b[0] = 'M';
    b[1] = 'Z';
    put32(b, 0x3c, kPe);
    std::memcpy(&b[kPe], "PE\0\0", 4);
    put16(b, kCoff, 0x8664);
    put16(b, kCoff + 2, 2);
    put16(b, kCoff + 16, 240);
    put16(b, kCoff + 18, 0x22);
    put16(b, kOpt, 0x20b);
    put32(b, kOpt + 16, 0x1000);      // entry
    put32(b, kOpt + 32, 0x1000);      // section alignment
    put32(b, kOpt + 36, 0x200);       // file alignment
    put32(b, kOpt + 56, 0x3000);      // size of image
    put16(b, kOpt + 68, 1);           // native
    put16(b, kOpt + 70, 0x0160);      // dynamic base, NX, high entropy
    put32(b, kOpt + 108, 16);
    import_dir(0x2000, 40);
    section(0, ".text", 0x1000, 0x200, 0x200, 0x60000020);
    section(1, ".rdata", 0x2000, 0x200, 0x400, 0x40000040);
    // .rdata: descriptor at 0x2000, null descriptor, ILT at 0x2040, IAT at
    // 0x2060, name "ntoskrnl.exe" at 0x2080, hint/name at 0x2090.
    put32(b, kRdata + 0, 0x2040);
    put32(b, kRdata + 12, 0x2080);
    put32(b, kRdata + 16, 0x2060);
    put32(b, kRdata + 0x40, 0x2090);
    put32(b, kRdata + 0x60, 0x2090);
    std::memcpy(&b[kRdata + 0x80], "ntoskrnl.exe", 12);
    std::memcpy(&b[kRdata + 0x92], "MmMapIoSpace", 12);
  }
  void import_dir(std::uint32_t rva, std::uint32_t size) {
    put32(b, kOpt + 112 + 8, rva);
    put32(b, kOpt + 112 + 12, size);
  }
  void section(int i, const char* name, std::uint32_t rva, std::uint32_t size, std::uint32_t raw, std::uint32_t flags) {
    std::size_t at = kSections + 40 * i;
    std::memcpy(&b[at], name, std::strlen(name));
    put32(b, at + 8, size);
    put32(b, at + 12, rva);
    put32(b, at + 16, size);
    put32(b, at + 20, raw);
    put32(b, at + 36, flags);
  }
};

}  // namespace nxpool::binary::test
