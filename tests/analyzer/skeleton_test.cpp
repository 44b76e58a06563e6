// Directive skeletons (pp/skeleton.cpp): what is recorded, and that a unit
// preprocessed from skeletons equals the same unit lexed throughout.
#include "pp/skeleton.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nxpool::pp {
namespace {
using nxpool::testing::preprocess_file;
using nxpool::testing::TempDir;

TEST(Skeleton, RecordsDirectivesCodeRunsAndDefineNames) {
  Skeleton sk = build_skeleton("int a;\n/* x */ # define G 1\n#\nb c\nd\n#if X\n#endif\n");
  ASSERT_EQ(sk.entries.size(), 6u);  // code, define, '#', code, if, endif
  EXPECT_TRUE(sk.entries[0].code);
  EXPECT_FALSE(sk.entries[1].code);
  EXPECT_EQ(sk.entries[1].hash_line, 2u);
  EXPECT_EQ(sk.entries[1].hash_column, 9u);
  EXPECT_EQ(sk.entries[1].count, 3u);
  EXPECT_EQ(sk.entries[1].raw_define_name, "G");
  EXPECT_EQ(sk.entries[2].count, 0u);  // a lone '#'
  EXPECT_TRUE(sk.entries[3].code);     // "b c" and "d": one run
  EXPECT_EQ(sk.tokens[sk.entries[4].first].text, "if");
  EXPECT_TRUE(sk.entries[4].raw_define_name.empty());
}

TEST(Skeleton, SplicedTokensAreCleanAndDiagnosticsKept) {
  Skeleton sk = build_skeleton("#def\\\nine A\\\nB 1\n#define Q 'x\n/* open");
  ASSERT_FALSE(sk.entries.empty());
  EXPECT_EQ(sk.tokens[0].text, "define");
  EXPECT_EQ(sk.tokens[1].text, "AB");
  // The guard test compares raw spellings, as the lexer path does.
  EXPECT_TRUE(sk.entries[0].raw_define_name.empty());
  EXPECT_EQ(sk.entries[1].raw_define_name, "Q");
  EXPECT_FALSE(sk.diags.empty());
}

std::string dump(const PreprocessedUnit& u) {
  std::string s;
  for (const PToken& t : u.code)
    s += std::string(t.text) + "@" + std::to_string(t.file) + ":" + std::to_string(t.line) + ":" +
         std::to_string(t.column) + " m" + std::to_string(t.macro) + " c" + std::to_string(t.cond) + "\n";
  for (const auto& f : u.files) s += "file " + f + "\n";
  for (const auto& c : u.conds) s += "cond " + c + "\n";
  for (const auto& m : u.macros) s += "macro " + m + "\n";
  for (const auto& d : u.diags)
    s += "diag " + std::to_string(d.loc.file) + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) +
         " " + d.message + "\n";
  for (const auto& n : u.nx_defines) s += "nx " + n.name + " " + n.origin + " " + std::to_string(n.cond) + "\n";
  s += "latch " + std::to_string(u.latch.latched) + " " + u.latch.header + " " +
       std::to_string(u.latch.optin.effective()) + " " + std::to_string(u.latch.autov.effective()) + "\n";
  return s;
}

TEST(Skeleton, ReplayEqualsLexing) {
  TempDir d;
  d.write("g.h", "#ifndef G_H\n#define G_H\n#define WRAP(x) (x)\n#endif\n");
  d.write("notg.h", "int x;\n#ifndef N_H\n#define N_H\n#endif\n#ifdef OPT\n#define POOL_NX_OPTIN 1\n#endif\n");
  d.write("sp.h", "#def\\\nine SP 1\n#if SP\n#define IN_SP 2\n#else\n#define OUT_SP 3\n#endif\n'open\n");
  d.write("open.h", "#if UNKNOWN_X\n#define MAYBE 1\n");
  std::string main = d.write("m.c",
                             "#include \"g.h\"\n#include \"notg.h\"\n#include \"sp.h\"\n#include \"open.h\"\n"
                             "#endif\n#include \"g.h\"\n#include \"notg.h\"\n#include \"sp.h\"\n#include <wdm.h>\n"
                             "void f(void) { ExAllocatePoolWithTag(WRAP(NonPagedPool), 1, 1); }\n");
  FileCache shared(true), plain(false);
  for (const char* extra : {"", "#define OPT 1\n", "#define UNKNOWN_X 0\n"}) {
    // Twice each: the second pass replays the skeletons the first recorded.
    for (int pass = 0; pass < 2; ++pass) {
      std::string a = dump(preprocess_file(main, shared, extra));
      std::string b = dump(preprocess_file(main, plain, extra));
      EXPECT_EQ(a, b) << "predefines: " << extra << " pass " << pass;
    }
  }
}

}  // namespace
}  // namespace nxpool::pp
