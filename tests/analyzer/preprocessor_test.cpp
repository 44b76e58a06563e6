// Preprocessor model (issue 5 items 2-3; spec §1.1-§1.2 for the latch).
#include "pp/preprocessor.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nxpool::pp {
namespace {
using nxpool::testing::preprocess_file;
using nxpool::testing::TempDir;

std::string code_text(const PreprocessedUnit& u) {
  std::string s;
  for (const PToken& t : u.code) s += std::string(t.text) + " ";
  return s;
}

TEST(Preprocessor, LatchRecordsValuesInForceAtFirstKernelInclude) {
  TempDir d;
  std::string f = d.write("a.c", "#define POOL_NX_OPTIN 1\n#include <ntddk.h>\n#define POOL_NX_OPTOUT 1\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  ASSERT_TRUE(u.latch.latched);
  EXPECT_TRUE(u.latch.by_header);
  EXPECT_EQ(u.latch.loc.line, 2u);
  EXPECT_EQ(u.latch.optin.effective(), 1);
  EXPECT_FALSE(u.latch.optout.defined);  // defined only after the latch
  ASSERT_EQ(u.nx_defines.size(), 5u);     // 3 #undef predefines + 2 defines
  EXPECT_FALSE(u.nx_defines[3].after_latch);
  EXPECT_TRUE(u.nx_defines[4].after_latch);
}

TEST(Preprocessor, ProjectHeaderDefineUnderKernelModeReachesLatch) {
  TempDir d;
  d.write("inc/project.h", "#ifdef _KERNEL_MODE\n#define POOL_NX_OPTIN 1\n#include <ntifs.h>\n#endif\n");
  std::string f = d.write("src/a.c", "#include \"..\\inc\\Project.h\"\nvoid f(void){}\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  ASSERT_TRUE(u.latch.by_header);
  EXPECT_EQ(u.latch.header, "ntifs.h");
  EXPECT_EQ(u.latch.optin.effective(), 1);
  EXPECT_EQ(u.latch.cond, -1);  // _KERNEL_MODE is known: no condition
}

TEST(Preprocessor, UnknownConditionAnalysesBothArmsWithConditionText) {
  TempDir d;
  std::string f = d.write("a.c", "#if DBG\nNonPagedPool\n#else\nNonPagedPoolNx\n#endif\n#if 0\nPagedPool\n#endif\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  ASSERT_EQ(u.code.size(), 2u);
  ASSERT_GE(u.code[0].cond, 0);
  EXPECT_EQ(u.conds[static_cast<std::size_t>(u.code[0].cond)], "DBG");
  EXPECT_EQ(u.conds[static_cast<std::size_t>(u.code[1].cond)], "!DBG");
}

TEST(Preprocessor, ElifChainAfterKnownTrueArmIsDead) {
  TempDir d;
  std::string f = d.write("a.c", "#if DBG\nPagedPool\n#elif 1\nNonPagedPool\n#else\nNonPagedPoolNx\n#endif\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  EXPECT_EQ(code_text(u), "PagedPool NonPagedPool ");
  EXPECT_EQ(u.conds[static_cast<std::size_t>(u.code[1].cond)], "!DBG");
}

TEST(Preprocessor, MacroExpansionIsAttributedToUseSite) {
  TempDir d;
  std::string f = d.write("a.c",
                          "#define POOL NonPagedPool\n#define ALLOC(n) ExAllocatePoolWithTag(POOL, n, 'a')\n"
                          "void f(void) {\n  p = ALLOC(\n    10);\n}\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  bool found = false;
  for (const PToken& t : u.code) {
    if (t.text != "NonPagedPool") continue;
    found = true;
    EXPECT_EQ(t.line, 4u);
    EXPECT_EQ(t.column, 7u);
    ASSERT_GE(t.macro, 0);
    EXPECT_EQ(u.macros[static_cast<std::size_t>(t.macro)], "ALLOC");
  }
  EXPECT_TRUE(found);
  // The argument keeps its own position.
  for (const PToken& t : u.code) {
    if (t.text == "10") {
      EXPECT_EQ(t.line, 5u);
    }
  }
}

TEST(Preprocessor, IrrelevantMacrosAreNotExpanded) {
  TempDir d;
  std::string f = d.write("a.c", "#define SIZE 10\nvoid f(void) { p = ExAllocatePoolWithTag(PagedPool, SIZE, 1); }\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  EXPECT_NE(code_text(u).find("SIZE"), std::string::npos);
}

TEST(Preprocessor, PasteAndStringize) {
  TempDir d;
  std::string f = d.write("a.c",
                          "#define POOLNAME(x) NonPagedPool##x\n#define STR(x) #x\n"
                          "void f(void) { a = POOLNAME(Nx); b = POOLNAME(); s = STR(NonPagedPool); }\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  std::string s = code_text(u);
  EXPECT_NE(s.find("a = NonPagedPoolNx ;"), std::string::npos) << s;
  EXPECT_NE(s.find("b = NonPagedPool ;"), std::string::npos) << s;
  EXPECT_NE(s.find("\"NonPagedPool\""), std::string::npos) << s;
}

TEST(Preprocessor, SelfReferentialMacroTerminates) {
  TempDir d;
  std::string f = d.write("a.c", "#define NonPagedPool NonPagedPool\n#define A B NonPagedPool\n#define B A\nA\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  EXPECT_FALSE(u.code.empty());
}

TEST(Preprocessor, IncludeGuardIsKnownAndFileNotReread) {
  TempDir d;
  d.write("g.h", "#ifndef G_H\n#define G_H\nNonPagedPool\n#endif\n");
  std::string f = d.write("a.c", "#include \"g.h\"\n#include \"g.h\"\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  ASSERT_EQ(u.code.size(), 1u);
  EXPECT_EQ(u.code[0].cond, -1);
}

TEST(Preprocessor, IncludeCycleWithoutGuardIsAnErrorNotAHang) {
  TempDir d;
  d.write("a.h", "#include \"b.h\"\n");
  d.write("b.h", "#include \"a.h\"\n");
  std::string f = d.write("a.c", "#include \"a.h\"\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  bool cycle = false;
  for (const UnitDiag& g : u.diags)
    if (g.message.find("nested deeper") != std::string::npos) cycle = true;
  EXPECT_TRUE(cycle);
}

TEST(Preprocessor, Utf16IncludedHeaderIsRead) {
  TempDir d;
  std::string h = "\xFF\xFE";
  for (char ch : std::string("#define POOL_NX_OPTIN_AUTO 1\r\n")) {
    h.push_back(ch);
    h.push_back('\0');
  }
  d.write("u16.h", h);
  std::string f = d.write("a.c", "#include \"u16.h\"\n#include <wdm.h>\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  EXPECT_EQ(u.latch.autov.effective(), 1);
}

TEST(Preprocessor, ArmLatchRemovesOptinAndForcesAuto) {
  TempDir d;
  std::string f = d.write("a.c",
                          "#define POOL_NX_OPTIN 1\n#include <wdm.h>\n#if POOL_NX_OPTIN\nPagedPool\n#endif\n"
                          "#if POOL_NX_OPTIN_AUTO\nNonPagedPool\n#endif\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c, "#undef _AMD64_\n#define _ARM64_ 1\n");
  EXPECT_FALSE(u.latch.x86_or_x64);
  EXPECT_EQ(code_text(u), "NonPagedPool ");
}

TEST(Preprocessor, EmptyOptoutBodyIsRecorded) {
  TempDir d;
  std::string f = d.write("a.c", "#define POOL_NX_OPTOUT\n#include <wdm.h>\n");
  FileCache c;
  PreprocessedUnit u = preprocess_file(f, c);
  EXPECT_TRUE(u.latch.optout.empty);
  EXPECT_TRUE(u.nx_defines.back().empty_body);
}

}  // namespace
}  // namespace nxpool::pp
