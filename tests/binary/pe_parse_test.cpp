// The PE parser on hostile input (issue 14: "every offset and size is
// checked, it never reads past the file", "the corrupt-file cases
// (truncated headers, section table past the end, import directory loops,
// a 0-byte file)"). Images are built in memory (tiny_pe.h), so these tests
// run without a toolchain; under ASan any read past the buffer fails them.
#include <gtest/gtest.h>

#include "binary/pe_image.h"
#include "tiny_pe.h"

namespace nxpool::binary {
namespace {

using test::put16;
using test::put32;
using test::TinyPe;

bool parse(const std::vector<std::uint8_t>& b, PeImage& img, ParseError& err) {
  // A copy of exactly the bytes, so ASan sees a read one past the end.
  std::vector<std::uint8_t> exact(b.begin(), b.end());
  return parse_pe(exact, img, err);
}

TEST(PeParse, TinyImageParses) {
  TinyPe pe;
  PeImage img;
  ParseError err;
  ASSERT_TRUE(parse(pe.b, img, err)) << err.message;
  EXPECT_EQ(img.machine, kMachineAmd64);
  ASSERT_EQ(img.sections.size(), 2u);
  EXPECT_EQ(img.sections[0].name, ".text");
  EXPECT_TRUE(img.sections[0].executable());
  EXPECT_FALSE(img.sections[1].writable());
  ASSERT_EQ(img.imports.size(), 1u);
  EXPECT_EQ(img.imports[0].dll, "ntoskrnl.exe");
  EXPECT_EQ(img.imports[0].name, "MmMapIoSpace");
  EXPECT_EQ(img.imports[0].iat_rva, 0x2060u);
  EXPECT_EQ(img.offset_of(0x2060), 0x460);
  EXPECT_EQ(img.offset_of(0x5000), -1);
}

// Issue 14, corrupt-file case: a 0-byte file.
TEST(PeParse, EmptyFileIsAnError) {
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse({}, img, err));
  EXPECT_NE(err.message.find("0 bytes"), std::string::npos) << err.message;
}

// Issue 14, corrupt-file case: truncated headers. Every prefix of the
// headers must fail cleanly, with an offset inside the file.
TEST(PeParse, EveryTruncationOfTheHeadersIsAnError) {
  TinyPe pe;
  for (std::size_t n = 0; n < TinyPe::kSections + 80; ++n) {
    std::vector<std::uint8_t> cut(pe.b.begin(), pe.b.begin() + static_cast<std::ptrdiff_t>(n));
    PeImage img;
    ParseError err;
    EXPECT_FALSE(parse(cut, img, err)) << "prefix of " << n << " bytes parsed";
    EXPECT_LE(err.offset, std::max<std::size_t>(n, 0x40)) << n;
    EXPECT_FALSE(err.message.empty()) << n;
  }
}

// Every truncation past the headers either parses or fails: never reads
// past the end (ASan checks that part).
TEST(PeParse, EveryTruncationOfTheBodyIsHandled) {
  TinyPe pe;
  for (std::size_t n = TinyPe::kSections + 80; n <= pe.b.size(); ++n) {
    std::vector<std::uint8_t> cut(pe.b.begin(), pe.b.begin() + static_cast<std::ptrdiff_t>(n));
    PeImage img;
    ParseError err;
    bool ok = parse(cut, img, err);
    if (!ok) {
      EXPECT_FALSE(err.message.empty()) << n;
    }
  }
}

// Issue 14, corrupt-file case: the section table past the end.
TEST(PeParse, SectionTablePastTheEnd) {
  TinyPe pe;
  put16(pe.b, TinyPe::kCoff + 2, 40);  // 40 sections: 1600 bytes from 0x148
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("section table"), std::string::npos) << err.message;
  EXPECT_EQ(err.offset, TinyPe::kSections);
}

TEST(PeParse, TooManySections) {
  TinyPe pe;
  put16(pe.b, TinyPe::kCoff + 2, 0xffff);
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("sections"), std::string::npos) << err.message;
}

// Issue 14, corrupt-file case: an import directory loop (descriptors that
// repeat instead of ending with a null one).
TEST(PeParse, ImportDirectoryLoop) {
  TinyPe pe;
  // Replace the null descriptor after the first with a copy of it.
  for (int i = 0; i < 20; ++i) pe.b[TinyPe::kRdata + 20 + i] = pe.b[TinyPe::kRdata + i];
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("loop"), std::string::npos) << err.message;
  EXPECT_EQ(err.offset, TinyPe::kRdata + 20);
}

TEST(PeParse, ImportTableRunningOffTheFile) {
  TinyPe pe;
  pe.import_dir(0x21f0, 40);  // last 16 bytes of .rdata: the descriptor is cut
  for (int i = 0; i < 16; ++i) pe.b[TinyPe::kRdata + 0x1f0 + i] = 0x11;
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("past the end"), std::string::npos) << err.message;
}

TEST(PeParse, ImportNameOutsideTheFile) {
  TinyPe pe;
  put32(pe.b, TinyPe::kRdata + 12, 0x7ffffff0);
  PeImage img;
  ParseError err;
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("not in the file"), std::string::npos) << err.message;
}

TEST(PeParse, SectionRawDataPastTheEndIsClampedWithAWarning) {
  TinyPe pe;
  put32(pe.b, TinyPe::kSections + 16, 0x10000);  // .text raw size
  PeImage img;
  ParseError err;
  ASSERT_TRUE(parse(pe.b, img, err)) << err.message;
  EXPECT_EQ(img.sections[0].raw_size, pe.b.size() - 0x200);
  ASSERT_FALSE(img.warnings.empty());
}

TEST(PeParse, CorruptRelocationBlockIsCutWithAWarning) {
  TinyPe pe;
  put32(pe.b, TinyPe::kOpt + 112 + 5 * 8, 0x2100);  // relocation directory
  put32(pe.b, TinyPe::kOpt + 112 + 5 * 8 + 4, 16);
  put32(pe.b, TinyPe::kRdata + 0x100, 0x1000);
  put32(pe.b, TinyPe::kRdata + 0x104, 0xfffffff0);  // block size larger than the directory
  PeImage img;
  ParseError err;
  ASSERT_TRUE(parse(pe.b, img, err)) << err.message;
  EXPECT_TRUE(img.relocs.empty());
  ASSERT_EQ(img.warnings.size(), 1u);
}

TEST(PeParse, NotAnImage) {
  PeImage img;
  ParseError err;
  std::vector<std::uint8_t> text = {'i', 'n', 't', ' ', 'x', ';'};
  EXPECT_FALSE(parse(text, img, err));
  EXPECT_NE(err.message.find("MZ"), std::string::npos);
  TinyPe pe;
  pe.b[TinyPe::kPe] = 'N';
  EXPECT_FALSE(parse(pe.b, img, err));
  EXPECT_NE(err.message.find("PE signature"), std::string::npos);
}

}  // namespace
}  // namespace nxpool::binary
