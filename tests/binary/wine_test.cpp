// Real drivers nobody here wrote (issue 14 "Done when": "their results
// agree with objdump on every section"): the PE kernel drivers of Debian's
// libwine package. Never committed; the test skips unless
// NXPOOL_WINE_DIR names a directory of them, e.g.
//   apt-get download libwine && dpkg-deb -x libwine_*.deb root
//   NXPOOL_WINE_DIR=$PWD/root/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
// (bench/binary/run.sh does exactly that). For every image and every
// section, nxpool's section facts and verdicts (NX4001 W+X, NX4002 page
// alignment, NX4003 IAT in code) are compared with what `objdump -h -p`
// says about the same file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "binary/binary_scan.h"
#include "binary/pe_image.h"
#include "images.h"

namespace nxpool::binary {
namespace {

namespace fs = std::filesystem;

struct ObjSection {
  std::string name;
  std::uint64_t vma = 0, size = 0, file_off = 0;
  bool code = false, readonly = false;
};

struct ObjDump {
  std::uint64_t image_base = 0;
  std::uint64_t iat_rva = 0;
  std::vector<ObjSection> sections;
};

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

ObjDump objdump(const std::string& file) {
  ObjDump d;
  std::istringstream in(run("objdump -h -p '" + file + "' 2>/dev/null"));
  std::string line;
  ObjSection* last = nullptr;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string a, b;
    ls >> a;
    if (a == "ImageBase") {
      ls >> b;
      d.image_base = std::stoull(b, nullptr, 16);
    } else if (a == "Entry" && line.find("Import Address Table Directory") != std::string::npos) {
      std::string idx, rva;
      std::istringstream(line) >> a >> idx >> rva;
      d.iat_rva = std::stoull(rva, nullptr, 16);
    } else if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0])) && line.size() > 2 && line[0] == ' ' &&
               line.find("2**") != std::string::npos) {
      ObjSection s;
      std::string size, vma, lma, off;
      ls >> s.name >> size >> vma >> lma >> off;
      s.size = std::stoull(size, nullptr, 16);
      s.vma = std::stoull(vma, nullptr, 16);
      s.file_off = std::stoull(off, nullptr, 16);
      d.sections.push_back(s);
      last = &d.sections.back();
    } else if (last && (line.find("ALLOC") != std::string::npos || line.find("CONTENTS") != std::string::npos)) {
      last->code = line.find("CODE") != std::string::npos;
      last->readonly = line.find("READONLY") != std::string::npos;
      last = nullptr;
    }
  }
  return d;
}

TEST(Wine, SectionVerdictsAgreeWithObjdump) {
  const char* dir = std::getenv("NXPOOL_WINE_DIR");
  if (!dir || !fs::is_directory(dir)) GTEST_SKIP() << "NXPOOL_WINE_DIR is not set to the libwine x86_64-windows directory";
  if (run("objdump --version").empty()) GTEST_SKIP() << "objdump not found";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sys") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 17u) << "libwine 8.0 ships 17 x86_64 .sys drivers";
  std::size_t sections = 0;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    std::vector<std::uint8_t> bytes = test::read_bytes(f);
    PeImage img;
    ParseError err;
    ASSERT_TRUE(parse_pe(bytes, img, err)) << err.message;
    scan::ScanResult r;
    scan_image(bytes, f, {}, r);
    ASSERT_TRUE(r.diagnostics.empty());
    ObjDump od = objdump(f);
    ASSERT_EQ(od.image_base, img.image_base);
    ASSERT_EQ(od.sections.size(), img.sections.size());
    std::set<std::string> wx, unaligned;
    for (const auto& fd : r.findings) {
      if (fd.rule == "NX4001" || fd.rule == "NX4002") {
        for (const Section& s : img.sections)
          if (s.header_offset == fd.offset) (fd.rule == "NX4001" ? wx : unaligned).insert(s.name);
      }
    }
    const ObjSection* iat_section = nullptr;
    for (std::size_t i = 0; i < img.sections.size(); ++i) {
      const Section& s = img.sections[i];
      const ObjSection& o = od.sections[i];
      SCOPED_TRACE(s.name);
      ++sections;
      // objdump shows long names from the string table; ours are the raw 8 bytes.
      if (s.name.empty() || s.name[0] != '/') {
        EXPECT_EQ(o.name, s.name);
      }
      EXPECT_EQ(o.vma - od.image_base, s.virtual_address);
      EXPECT_EQ(o.file_off, s.raw_size ? s.raw_offset : o.file_off);
      EXPECT_EQ(o.code, s.executable());
      EXPECT_EQ(!o.readonly, s.writable());
      EXPECT_EQ(wx.count(s.name) > 0, o.code && !o.readonly);                      // NX4001
      EXPECT_EQ(unaligned.count(s.name) > 0, (o.vma - od.image_base) % 0x1000 != 0);  // NX4002
      std::uint64_t rva = o.vma - od.image_base;
      if (od.iat_rva >= rva && od.iat_rva < rva + std::max<std::uint64_t>(o.size, s.virtual_size)) iat_section = &o;
    }
    bool nx4003 = std::any_of(r.findings.begin(), r.findings.end(), [](const scan::Finding& x) { return x.rule == "NX4003"; });
    EXPECT_EQ(nx4003, iat_section && iat_section->code);  // NX4003
  }
  EXPECT_GT(sections, 17u * 3);  // every image has at least .text, .rdata/.data and .reloc
  RecordProperty("sections", static_cast<int>(sections));
}

}  // namespace
}  // namespace nxpool::binary
