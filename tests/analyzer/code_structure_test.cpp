// Structural contexts of relevant tokens (issue 5 item 4: value uses vs
// comparisons, SAL, members, declarations, constant contexts).
#include "scan/code_structure.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nxpool::scan {
namespace {
using nxpool::testing::TempDir;

struct Analysed {
  TempDir dir;
  pp::FileCache cache;
  pp::PreprocessedUnit unit;
  CodeStructure cs;
  explicit Analysed(const std::string& src) {
    unit = nxpool::testing::preprocess_file(dir.write("a.c", src), cache);
    cs = analyze_structure(unit.code);
  }
  const Site& site(std::size_t i) const { return cs.sites.at(i); }
};

TEST(CodeStructure, FunctionNamesSkipAnnotations) {
  Analysed a("_IRQL_requires_(PASSIVE_LEVEL) NTSTATUS DriverEntry(PVOID d, PVOID r)\n{ x = NonPagedPool; }\n"
             "static void Helper(void) { y = NonPagedPool; }\n");
  ASSERT_EQ(a.cs.sites.size(), 3u);  // DriverEntry name, two pool types
  EXPECT_EQ(a.site(1).function, "DriverEntry");
  EXPECT_EQ(a.site(2).function, "Helper");
  EXPECT_TRUE(a.site(1).initializer);
}

TEST(CodeStructure, ComparisonsBitTestsMembersDeclarations) {
  Analysed a("void f(void) { if (t == NonPagedPool) {} if (NonPagedPool != t) {} b = t & NonPagedPoolExecute;"
             " s.NonPagedPool = 1; p->NonPagedPool = 2; ULONG NonPagedPool; }\n");
  ASSERT_EQ(a.cs.sites.size(), 6u);
  EXPECT_TRUE(a.site(0).comparison);
  EXPECT_TRUE(a.site(1).comparison);
  EXPECT_TRUE(a.site(2).bit_test);
  EXPECT_TRUE(a.site(3).member);
  EXPECT_TRUE(a.site(4).member);
  EXPECT_TRUE(a.site(5).declaration);
}

TEST(CodeStructure, SalAnnotationsAreRecognised) {
  Analysed a("_When_(PoolType == NonPagedPoolMustSucceed, _Raises_SEH_exception_) void* g(POOL_TYPE PoolType);\n"
             "void f(void) { _Analysis_assume_(t != NonPagedPool); __drv_when(x, NonPagedPool) ; }\n");
  ASSERT_EQ(a.cs.sites.size(), 3u);
  for (const Site& s : a.cs.sites) EXPECT_TRUE(s.in_sal);
}

TEST(CodeStructure, ConstantContexts) {
  Analysed a("enum E { A = NonPagedPool, NonPagedPoolCacheAligned };\nstatic POOL_TYPE g = NonPagedPool;\n"
             "void f(int t) { switch (t) { case NonPagedPool: break; } }\n");
  ASSERT_EQ(a.cs.sites.size(), 4u);
  EXPECT_TRUE(a.site(0).enumerator_init);
  EXPECT_TRUE(a.site(1).enumerator_decl);
  EXPECT_TRUE(a.site(2).file_scope && a.site(2).initializer && a.site(2).static_decl);
  EXPECT_TRUE(a.site(3).case_label);
}

TEST(CodeStructure, CallsSplitIntoArgumentsAcrossLines) {
  Analysed a("void f(void) { m = MmGetSystemAddressForMdlSafe(mdl,\n   NormalPagePriority |\n   MdlMappingNoExecute); }\n");
  ASSERT_EQ(a.cs.calls.size(), 1u);
  ASSERT_EQ(a.cs.calls[0].args.size(), 2u);
  auto r = a.cs.calls[0].args[1];
  EXPECT_EQ(r.second - r.first, 3u);
}

}  // namespace
}  // namespace nxpool::scan
