// The edit engine (issue 12, "Safety"): bytes outside the edits are kept
// exactly (line endings per line, BOM, UTF-16, trailing whitespace, no final
// newline), the diff applied with `git apply` gives exactly the written
// bytes, writes are atomic, keep permissions and refuse a changed file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "fix/atomic_write.h"
#include "fix/edit.h"
#include "fix/site_tokens.h"
#include "fix/source_bytes.h"
#include "fix_util.h"

namespace {
using namespace nxpool::fix;
using nxpool::testing::TempDir;

std::string utf16le(const std::string& ascii) {
  std::string s("\xFF\xFE", 2);
  for (char c : ascii) { s.push_back(c); s.push_back('\0'); }
  return s;
}

// Replaces every `NonPagedPool` token of `bytes` by `NonPagedPoolNx`, writes
// the result next to a copy patched by the diff, and checks both equal.
void check_round_trip(const std::string& name, const std::string& bytes, const std::string& expected) {
  SCOPED_TRACE(name);
  TempDir d;
  d.write("f.c", bytes);
  SourceBytes src = read_source_bytes(d.path() + "/f.c");
  ASSERT_EQ(src.error, "");
  FileTokens ft(src.text);
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < ft.toks.size(); ++i)
    if (ft.spell(i) == "NonPagedPool") edits.push_back(Edit{ft.toks[i].offset, ft.toks[i].length, "NonPagedPoolNx", ""});
  ASSERT_FALSE(edits.empty());
  ASSERT_TRUE(normalize_edits(edits));
  std::string out = encode(src, apply_edits(src.text, edits));
  EXPECT_EQ(out, expected);
  bool utf16 = src.encoding == Encoding::Utf16Le || src.encoding == Encoding::Utf16Be;
  std::string patch = utf16 ? binary_diff("f.c", src.bytes, out)
                            : unified_diff("f.c", src.bytes, out, edits, src.encoding == Encoding::Utf8Bom ? 3 : 0);
  auto r = nxpool::testing::git_apply(d.path(), patch);
  ASSERT_EQ(r.status, 0) << r.err << "\n" << patch;
  EXPECT_EQ(nxpool::testing::slurp(d.path() + "/f.c"), expected) << patch;
}

TEST(FixEngine, LineEndingsPerLineAreKept) {
  check_round_trip("crlf", "a = NonPagedPool;\r\nb;\r\n", "a = NonPagedPoolNx;\r\nb;\r\n");
  check_round_trip("mixed", "x;\na = NonPagedPool; \t\r\nb;\rc;\n", "x;\na = NonPagedPoolNx; \t\r\nb;\rc;\n");
  check_round_trip("lone cr", "x;\ra = NonPagedPool;\rb;\r", "x;\ra = NonPagedPoolNx;\rb;\r");
}

TEST(FixEngine, NoFinalNewlineAndTrailingWhitespace) {
  check_round_trip("no final newline", "a;  \nb = NonPagedPool;", "a;  \nb = NonPagedPoolNx;");
  check_round_trip("last line context", "b = NonPagedPool;\nx;\ny; ", "b = NonPagedPoolNx;\nx;\ny; ");
}

TEST(FixEngine, Utf8BomIsKept) {
  check_round_trip("bom", "\xEF\xBB\xBF" "a = NonPagedPool;\r\n", "\xEF\xBB\xBF" "a = NonPagedPoolNx;\r\n");
}

TEST(FixEngine, Utf16LeIsWrittenBackAsUtf16) {
  check_round_trip("utf16le", utf16le("a = NonPagedPool;\r\n// \xC3\n"), utf16le("a = NonPagedPoolNx;\r\n// \xC3\n"));
}

TEST(FixEngine, ManyEditsInManyHunks) {
  std::string in, want;
  for (int i = 0; i < 60; ++i) {
    std::string l = i % 7 == 0 ? "p = NonPagedPool; q = NonPagedPool;" : "x" + std::to_string(i) + ";";
    in += l + (i % 2 ? "\r\n" : "\n");
    std::string w = i % 7 == 0 ? "p = NonPagedPoolNx; q = NonPagedPoolNx;" : l;
    want += w + (i % 2 ? "\r\n" : "\n");
  }
  check_round_trip("hunks", in, want);
}

TEST(FixEngine, OverlappingEditsAreRejectedAndDuplicatesMerged) {
  std::vector<Edit> e{{10, 3, "a", ""}, {10, 3, "a", ""}};
  EXPECT_TRUE(normalize_edits(e));
  EXPECT_EQ(e.size(), 1u);
  std::vector<Edit> o{{10, 3, "a", ""}, {12, 3, "b", ""}};
  EXPECT_FALSE(normalize_edits(o));
  std::vector<Edit> ins{{10, 0, "a", ""}, {10, 0, "b", ""}};
  EXPECT_FALSE(normalize_edits(ins));  // two insertions at one place: order unknowable
}

TEST(FixEngine, Utf16ThatDoesNotRoundTripIsRefused) {
  TempDir d;
  d.write("odd.c", utf16le("int a;") + "X");  // odd length
  EXPECT_NE(read_source_bytes(d.path() + "/odd.c").error, "");
  d.write("sur.c", std::string("\xFF\xFE", 2) + std::string("\x00\xD8" "a\0", 4));  // unpaired surrogate
  EXPECT_NE(read_source_bytes(d.path() + "/sur.c").error, "");
}

TEST(AtomicWrite, KeepsPermissionsAndLeavesNoTemporary) {
  TempDir d;
  std::string p = d.write("f.c", "old");
  ::chmod(p.c_str(), 0640);
  WriteResult w = replace_file(p, "old", "new", 0640);
  ASSERT_EQ(w.status, WriteStatus::Written) << w.message;
  EXPECT_EQ(nxpool::testing::slurp(p), "new");
  struct stat sb;
  ASSERT_EQ(::stat(p.c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 07777, 0640u);
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator(d.path())) (void)e, ++n;
  EXPECT_EQ(n, 1u);
}

TEST(AtomicWrite, AFileChangedSinceReadIsNotWritten) {
  TempDir d;
  std::string p = d.write("f.c", "someone else's edit");
  WriteResult w = replace_file(p, "what the fixer read", "fixed", 0644);
  EXPECT_EQ(w.status, WriteStatus::Changed);
  EXPECT_EQ(nxpool::testing::slurp(p), "someone else's edit");
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator(d.path())) (void)e, ++n;
  EXPECT_EQ(n, 1u);
}

TEST(AtomicWrite, ASymlinkStaysALinkAndItsTargetIsWritten) {
  TempDir d;
  std::string target = d.write("real/f.c", "old");
  std::string link = d.path() + "/link.c";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  ASSERT_EQ(replace_file(link, "old", "new", 0644).status, WriteStatus::Written);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(nxpool::testing::slurp(target), "new");
}

}  // namespace
