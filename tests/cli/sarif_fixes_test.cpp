// SARIF `fixes` (issue 12): every result `nxpool fix` would fix carries its
// edits as artifactChanges/replacements. This test applies them the way an
// editor does (code point columns, end exclusive, every line ending) and
// requires the very bytes `nxpool fix` writes; results that fix leaves
// alone (suppressed, opted out) have no `fixes`.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <tuple>

#include "cli_run.h"

namespace nxpool::clitest {
namespace {

// Byte offset of (line, code point column) in `text`; lines end at LF,
// CRLF or CR, as SARIF and the analyzer count them.
std::size_t offset_of(const std::string& text, int line, int column) {
  std::size_t i = 0;
  for (int l = 1; l < line; ++l) {
    while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
    if (i < text.size() && text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (i < text.size()) ++i;
  }
  for (int c = 1; c < column; ++c) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Applies every replacement of every result to the files under `dir`.
void apply_sarif_fixes(const std::string& dir, const nlohmann::json& doc) {
  std::map<std::string, std::set<std::tuple<std::size_t, std::size_t, std::string>>> edits;
  std::map<std::string, std::string> texts;
  for (auto& r : doc["runs"][0]["results"]) {
    if (!r.contains("fixes")) continue;
    for (auto& fx : r["fixes"])
      for (auto& ch : fx["artifactChanges"]) {
        ASSERT_EQ(ch["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        std::string file = dir + "/" + ch["artifactLocation"]["uri"].get<std::string>();
        if (!texts.count(file)) texts[file] = slurp(file);
        for (auto& rep : ch["replacements"]) {
          auto& g = rep["deletedRegion"];
          std::size_t b = offset_of(texts[file], g["startLine"], g["startColumn"]);
          std::size_t e = offset_of(texts[file], g["endLine"], g["endColumn"]);
          edits[file].insert({b, e - b, rep["insertedContent"]["text"].get<std::string>()});
        }
      }
  }
  for (auto& [file, set] : edits) {
    std::string t = texts[file];
    for (auto it = set.rbegin(); it != set.rend(); ++it) t.replace(std::get<0>(*it), std::get<1>(*it), std::get<2>(*it));
    std::ofstream(file, std::ios::binary | std::ios::trunc) << t;
  }
}

TEST(SarifFixes, ApplyingTheReplacementsGivesTheBytesFixWrites) {
  std::map<std::string, std::string> tree{
      {".nxpool.toml", "[rules]\nNX3004 = \"on\"\n"},
      {"a.c", "#include <ntddk.h>\r\nvoid f(PMDL m) {\r\n"
              "  /* é */ void* p = ExAllocatePoolWithTag(NonPagedPool, 8, 'a');\r\n"
              "  MmGetSystemAddressForMdlSafe(m,\r\n      NormalPagePriority);\r\n"
              "  void* q = ExAllocatePool2(PagedPool, 8, 'a');\r\n}\r\n"},
      {"b.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\nvoid g(SIZE_T n) {\n"
              "  PVOID z = ExAllocatePoolWithTag(NonPagedPoolNx, n, 'z');\n  if (!z) return;\n"
              "  RtlZeroMemory(z, n);\n}\n"},
      {"c.c", "#include <ntddk.h>\n#define POOL_NX_OPTIN_AUTO 1\nint x;\n"},
      {"d.c", "#include <ntddk.h>\nvoid h(void) {\n#pragma warning(suppress: 30030)\n"
              "  void* s = ExAllocatePoolWithTag(NonPagedPool, 8, 'a');\n}\n"}};
  TempDir editor, fixer;
  for (auto& [p, b] : tree) {
    editor.write(p, b);
    fixer.write(p, b);
  }
  const std::string target = " -DNTDDI_VERSION=NTDDI_WIN10_VB .";
  auto doc = nlohmann::json::parse(run(editor.path(), "scan --format sarif" + target).out);
  std::map<std::string, int> fixed, unfixed;
  for (auto& r : doc["runs"][0]["results"])
    (r.contains("fixes") ? fixed : unfixed)[r["ruleId"].get<std::string>()]++;
  // a.c: NX3004's fix rewrites the call with NX flags, which also does
  // NX2001's work on its argument, so that NX2001 result carries no edit
  // of its own (both applied together would overlap).
  EXPECT_EQ(fixed, (std::map<std::string, int>{{"NX1005", 1}, {"NX2004", 1}, {"NX3001", 1}, {"NX3004", 2}}));
  EXPECT_EQ(unfixed["NX2001"], 2);  // a.c (inside NX3004's edit); d.c: suppressed in source, so fix leaves it
  EXPECT_EQ(unfixed["NX3004"], 1);  // d.c: NonPagedPool stays executable there
  apply_sarif_fixes(editor.path(), doc);
  CliRun f = run(fixer.path(), "fix" + target);
  ASSERT_EQ(f.status, 0) << f.err;
  for (auto& [p, b] : tree) EXPECT_EQ(slurp(editor.path() + "/" + p), slurp(fixer.path() + "/" + p)) << p;
  EXPECT_NE(slurp(fixer.path() + "/b.c"), tree["b.c"]);
}

}  // namespace
}  // namespace nxpool::clitest
