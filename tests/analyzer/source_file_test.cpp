// Source decoding (issue 5 item 1): BOMs, UTF-16 transcoding, binary files.
#include "lex/source_file.h"

#include <gtest/gtest.h>

namespace nxpool::lex {
namespace {

TEST(SourceFile, Utf8BomIsRemoved) {
  SourceText s = decode_source("\xEF\xBB\xBFint x;");
  EXPECT_EQ(s.status, LoadStatus::Ok);
  EXPECT_EQ(s.text, "int x;");
}

TEST(SourceFile, Utf16LeWithBomIsTranscoded) {
  std::string b = "\xFF\xFE";
  for (char c : std::string("#define A 1\r\n")) {
    b.push_back(c);
    b.push_back('\0');
  }
  SourceText s = decode_source(b);
  EXPECT_EQ(s.status, LoadStatus::Ok);
  EXPECT_TRUE(s.transcoded);
  EXPECT_EQ(s.text, "#define A 1\r\n");
}

TEST(SourceFile, Utf16BeWithBomAndNonAscii) {
  std::string b = "\xFE\xFF";
  b += std::string("\0a\x00\xE9", 4);  // 'a', U+00E9
  SourceText s = decode_source(b);
  EXPECT_EQ(s.text, "a\xC3\xA9");
}

TEST(SourceFile, NulBytesWithoutBomAreBinary) {
  SourceText s = decode_source(std::string("\x7F" "ELF\0\0\0", 7));
  EXPECT_EQ(s.status, LoadStatus::Binary);
  EXPECT_NE(s.message.find("binary"), std::string::npos);
}

TEST(SourceFile, MissingFileIsUnreadable) {
  SourceText s = load_source("/nonexistent/nxpool/file.c");
  EXPECT_EQ(s.status, LoadStatus::Unreadable);
  EXPECT_NE(s.message.find("cannot open"), std::string::npos);
}

TEST(SourceFile, DirectoryIsUnreadable) {
  SourceText s = load_source("/");
  EXPECT_EQ(s.status, LoadStatus::Unreadable);
}

}  // namespace
}  // namespace nxpool::lex
