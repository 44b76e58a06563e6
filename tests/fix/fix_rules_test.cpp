// Every rule's fix and every safety rule of issue 12, through the built
// `nxpool` binary. Each case is a small tree; the test runs
//   fix --dry-run  (the diff is applied with `git apply` to a copy),
//   fix            (on another copy),
// and checks: both copies are byte-equal to the expected tree, a second
// `fix` changes nothing (idempotent), and a rescan reports none of the
// findings that were fixed.
#include <gtest/gtest.h>

#include "fix_check.h"

namespace {
using namespace nxpool::testing::fixcheck;
using nxpool::testing::nxpool;
using nxpool::testing::TempDir;

TEST(FixRules, Nx2001ToNx) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"
                     "void* g(void) { return ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 8, 'a'); }\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n"
                     "void* g(void) { return ExAllocatePoolWithTag(NonPagedPoolNxCacheAligned, 8, 'a'); }\n"}});
}

TEST(FixRules, Nx2001NeverInAnOptedOutFile) {
  Tree t{{"a.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  std::string err = check_fix(t, t);
  EXPECT_NE(err.find("opted-out"), std::string::npos) << err;
}

TEST(FixRules, Nx2001ExplicitStrategyNamesExecutablePoolInOptedOutFiles) {
  Tree before{{"a.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"},
              {"b.c", "#include <ntddk.h>\nvoid* g(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  Tree kept{{"a.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'a'); }\n"},
            {"b.c", "#include <ntddk.h>\nvoid* g(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n"}};
  check_fix(before, kept, "--strategy explicit --keep-optout");
  // Without --keep-optout the opt-out goes once nothing in the file needs it.
  Tree dropped = kept;
  dropped["a.c"] = "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'a'); }\n";
  std::string err = check_fix(before, dropped, "--strategy explicit");
  EXPECT_NE(err.find("explicit 1"), std::string::npos) << err;
}

TEST(FixRules, ExplicitStrategyDropsTheOptOutWithItsCommentOnlyWhenNothingDependsOnIt) {
  check_fix({{"a.c", "// JIT thunks: keep executable pool (POOL_NX_OPTOUT)\r\n#define POOL_NX_OPTOUT 1 // opt out\r\n"
                     "#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\r\n"}},
            {{"a.c", "#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'a'); }\r\n"}},
            "--strategy explicit");
  // An MDL mapping has no executable spelling: dropping the opt-out would
  // make it NX, so the define stays (and the mapping is left alone).
  Tree mdl{{"b.c", "// unrelated header comment\n#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\n"
                   "void* f(PMDL m) { MmGetSystemAddressForMdlSafe(m, NormalPagePriority);\n"
                   "  return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  Tree after = mdl;
  after["b.c"] = "// unrelated header comment\n#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\n"
                 "void* f(PMDL m) { MmGetSystemAddressForMdlSafe(m, NormalPagePriority);\n"
                 "  return ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'a'); }\n";
  check_fix(mdl, after, "--strategy explicit");
}

TEST(FixRules, Nx2004MdlPriorityGetsNoExecute) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid f(PMDL m) {\n  MmGetSystemAddressForMdlSafe(m, NormalPagePriority);\n"
                     "  MmMapLockedPagesSpecifyCache(m, KernelMode, MmCached, NULL, FALSE,\n      HighPagePriority);\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid f(PMDL m) {\n  MmGetSystemAddressForMdlSafe(m, NormalPagePriority | MdlMappingNoExecute);\n"
                     "  MmMapLockedPagesSpecifyCache(m, KernelMode, MmCached, NULL, FALSE,\n      HighPagePriority | MdlMappingNoExecute);\n}\n"}});
}

TEST(FixRules, Nx2005LookasideFlagsGetPoolNxAllocation) {
  check_fix({{"a.c", "#include <ntddk.h>\nNPAGED_LOOKASIDE_LIST l, k;\nvoid f(void) {\n"
                     "  ExInitializeNPagedLookasideList(&l, NULL, NULL, 0, 16, 'a', 0);\n"
                     "  ExInitializeNPagedLookasideList(&k, NULL, NULL,\n    POOL_RAISE_IF_ALLOCATION_FAILURE, 16, 'a', 0);\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nNPAGED_LOOKASIDE_LIST l, k;\nvoid f(void) {\n"
                     "  ExInitializeNPagedLookasideList(&l, NULL, NULL, POOL_NX_ALLOCATION, 16, 'a', 0);\n"
                     "  ExInitializeNPagedLookasideList(&k, NULL, NULL,\n    POOL_RAISE_IF_ALLOCATION_FAILURE | POOL_NX_ALLOCATION, 16, 'a', 0);\n}\n"}});
}

TEST(FixRules, Nx3001PoolTypeAsFlagsMultiLine) {
  check_fix({{"a.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\nvoid f(void) {\n"
                     "  void* a = ExAllocatePool2(PagedPool, 8, 'a');\n"
                     "  void* b = ExAllocatePool2(\n      NonPagedPoolNx,\n      8, 'a');\n"
                     "  void* c = ExAllocatePool2(NonPagedPool, 8, 'a');\n}\n"}},
            {{"a.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\nvoid f(void) {\n"
                     "  void* a = ExAllocatePool2(POOL_FLAG_PAGED, 8, 'a');\n"
                     "  void* b = ExAllocatePool2(\n      POOL_FLAG_NON_PAGED,\n      8, 'a');\n"
                     "  void* c = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 'a');\n}\n"}});
}

TEST(FixRules, Nx3001NonPagedPoolOnlyWhereOptedIn) {
  Tree t{{"a.c", "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePool2(NonPagedPool, 8, 'a'); }\n"}};
  std::string err = check_fix(t, t, "--rule NX3001");
  EXPECT_NE(err.find("not opted in"), std::string::npos) << err;
}

TEST(FixRules, Nx1002EmptyOrZeroOptOutBecomesOne) {
  check_fix({{"a.c", "#define POOL_NX_OPTOUT 0 // keep me\n#include <ntddk.h>\n"},
             {"b.c", "#define POOL_NX_OPTOUT\n#include <ntddk.h>\n"}},
            {{"a.c", "#define POOL_NX_OPTOUT 1 // keep me\n#include <ntddk.h>\n"},
             {"b.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\n"}},
            "--rule NX1002");
}

TEST(FixRules, Nx2003ExecutableOnlyApisBecomeTheirSuccessors) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid f(PHYSICAL_ADDRESS pa, PHYSICAL_ADDRESS lo, PHYSICAL_ADDRESS hi) {\n"
                     "  PVOID r = MmMapIoSpace(pa, 4096, MmNonCached);\n"
                     "  PVOID w = MmMapIoSpace(pa,\n                        4096, MmWriteCombined);\n"
                     "  PVOID c = MmAllocateContiguousMemory(8192, hi);\n"
                     "  PVOID s = MmAllocateContiguousMemorySpecifyCache(8192, lo, hi, lo, MmCached);\n"
                     "  PVOID v = MmMapIoSpace(pa, 4096, cache_of(pa));\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid f(PHYSICAL_ADDRESS pa, PHYSICAL_ADDRESS lo, PHYSICAL_ADDRESS hi) {\n"
                     "  PVOID r = MmMapIoSpaceEx(pa, 4096, PAGE_READWRITE | PAGE_NOCACHE);\n"
                     "  PVOID w = MmMapIoSpaceEx(pa,\n                        4096, PAGE_READWRITE | PAGE_WRITECOMBINE);\n"
                     "  PVOID c = MmAllocateContiguousNodeMemory(8192, (PHYSICAL_ADDRESS){0}, hi, (PHYSICAL_ADDRESS){0}, PAGE_READWRITE, MM_ANY_NODE_OK);\n"
                     "  PVOID s = MmAllocateContiguousNodeMemory(8192, lo, hi, lo, PAGE_READWRITE, MM_ANY_NODE_OK);\n"
                     "  PVOID v = MmMapIoSpace(pa, 4096, cache_of(pa));\n}\n"}});
  Tree cpp{{"a.cpp", "#include <ntddk.h>\nPVOID g(PHYSICAL_ADDRESS hi) { return MmAllocateContiguousMemory(64, hi); }\n"}};
  check_fix(cpp, {{"a.cpp", "#include <ntddk.h>\nPVOID g(PHYSICAL_ADDRESS hi) { return MmAllocateContiguousNodeMemory(64, "
                            "PHYSICAL_ADDRESS{}, hi, PHYSICAL_ADDRESS{}, PAGE_READWRITE, MM_ANY_NODE_OK); }\n"}});
}

TEST(FixRules, Nx1001OptOutMovesAboveTheKernelIncludeWithItsComment) {
  // The file's mode changes, so NX2001 in it waits; the second run then
  // sees an opted-out file and leaves NonPagedPool (meant executable) alone.
  Tree before{{"a.c", "// driver\n#include <ntddk.h>\n#include \"x.h\"\n\n// thunks live here\r\n"
                      "#define POOL_NX_OPTOUT 1 /* executable */\r\n"
                      "void* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"},
              {"x.h", "\n"}};
  Tree after{{"a.c", "// driver\n// thunks live here\r\n#define POOL_NX_OPTOUT 1 /* executable */\r\n"
                     "#include <ntddk.h>\n#include \"x.h\"\n\n"
                     "void* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"},
             {"x.h", "\n"}};
  std::string err = check_fix(before, after);
  EXPECT_NE(err.find("run fix again"), std::string::npos) << err;
}

TEST(FixRules, Nx1005OptInMovesUnlessAConditionalIsBetween) {
  check_fix({{"a.c", "#include <ntddk.h>\n#define POOL_NX_OPTIN_AUTO 1\nint x;\n"}},
            {{"a.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\nint x;\n"}});
  Tree t{{"b.c", "#include <ntddk.h>\n#ifdef KEEP\n#endif\n#define POOL_NX_OPTIN_AUTO 1\nint x;\n"}};
  std::string err = check_fix(t, t, "--rule NX1005");
  EXPECT_NE(err.find("conditional directive"), std::string::npos) << err;
}

TEST(FixSafety, MixedModeHeaderIsLeftAloneWithTheReason) {
  Tree t{{"common.h", "static void* get(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"},
         {"out.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\n#include \"common.h\"\n"},
         {"plain.c", "#include <ntddk.h>\n#include \"common.h\"\nvoid* p(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  Tree after = t;
  after["plain.c"] = "#include <ntddk.h>\n#include \"common.h\"\nvoid* p(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n";
  std::string err = check_fix(t, after);
  EXPECT_NE(err.find("common.h:1:"), std::string::npos) << err;
  EXPECT_NE(err.find("opted-out"), std::string::npos) << err;
}

TEST(FixSafety, SiteInsideAMacroIsFixedInItsDefinitionWhenEveryUseAgrees) {
  check_fix({{"pool.h", "#define MYPOOL NonPagedPool /* the driver's pool */\n"},
             {"a.c", "#include <ntddk.h>\n#include \"pool.h\"\nvoid* f(void) { return ExAllocatePoolWithTag(MYPOOL, 8, 'a'); }\n"},
             {"b.c", "#include <ntddk.h>\n#include \"pool.h\"\nvoid* g(void) { return ExAllocatePoolWithTag(MYPOOL, 8, 'b'); }\n"}},
            {{"pool.h", "#define MYPOOL NonPagedPoolNx /* the driver's pool */\n"}});
}

TEST(FixSafety, SiteInsideAMacroIsLeftAloneWhenAUseDisagrees) {
  // b.c is opted out: there MYPOOL is meant executable.
  Tree t{{"pool.h", "#define MYPOOL NonPagedPool\n"},
         {"a.c", "#include <ntddk.h>\n#include \"pool.h\"\nvoid* f(void) { return ExAllocatePoolWithTag(MYPOOL, 8, 'a'); }\n"},
         {"b.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\n#include \"pool.h\"\nvoid* g(void) { return ExAllocatePoolWithTag(MYPOOL, 8, 'b'); }\n"}};
  std::string err = check_fix(t, t);
  EXPECT_NE(err.find("a.c:3:46: note: NX2001 not fixed: inside the expansion of macro 'MYPOOL': an opted-out unit"),
            std::string::npos) << err;
  // A use without a finding (a comparison) could change meaning: left alone too.
  Tree c{{"a.c", "#include <ntddk.h>\n#define MYPOOL NonPagedPool\nvoid* f(POOL_TYPE t) {\n"
                 "  if (t == MYPOOL) return 0;\n  return ExAllocatePoolWithTag(MYPOOL, 8, 'a'); }\n"}};
  err = check_fix(c, c);
  EXPECT_NE(err.find("macro 'MYPOOL': it is used 2 times"), std::string::npos) << err;
}

TEST(FixSafety, UnknownArmIsFixedOnlyWhenWrongEverywhere) {
  // Under `#if DBG` (unknown) the edit is right in both arms: made. A file
  // opted out under an unknown condition is executable on purpose in one
  // configuration: left alone.
  check_fix({{"a.c", "#include <ntddk.h>\n#if DBG\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n#endif\n"}},
            {{"a.c", "#include <ntddk.h>\n#if DBG\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n#endif\n"}});
  Tree t{{"b.c", "#if DBG\n#define POOL_NX_OPTOUT 1\n#endif\n#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  check_fix(t, t);
}

TEST(FixSafety, EncodingsAndLineEndingsSurviveTheCli) {
  std::string u16("\xFF\xFE", 2), u16after("\xFF\xFE", 2);
  for (char c : std::string("#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\r\n"))
    u16 += std::string(1, c) + '\0';
  for (char c : std::string("#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\r\n"))
    u16after += std::string(1, c) + '\0';
  check_fix({{"crlf.c", "#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }  \r\n"},
             {"bom.c", "\xEF\xBB\xBF#include <ntddk.h>\nvoid* g(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }"},
             {"wide.c", u16}},
            {{"crlf.c", "#include <ntddk.h>\r\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }  \r\n"},
             {"bom.c", "\xEF\xBB\xBF#include <ntddk.h>\nvoid* g(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }"},
             {"wide.c", u16after}});
}

TEST(FixSafety, RescanShowsNoneOfTheFixedFindings) {
  Tree t{{"a.c", "#include <ntddk.h>\nNPAGED_LOOKASIDE_LIST l;\nvoid f(PMDL m) {\n"
                 "  void* p = ExAllocatePoolWithTag(NonPagedPool, 8, 'a');\n"
                 "  void* q = ExAllocatePool2(PagedPool, 8, 'a');\n"
                 "  MmGetSystemAddressForMdlSafe(m, NormalPagePriority);\n"
                 "  ExInitializeNPagedLookasideList(&l, NULL, NULL, 0, 16, 'a', 0);\n}\n"}};
  TempDir d;
  write_tree(d, t);
  std::string scan_before = nxpool(d.path(), "scan .").out;
  for (const char* r : {"NX2001", "NX2004", "NX2005", "NX3001"}) EXPECT_EQ(count(scan_before, r), 1u) << r;
  std::string after = rescan(t);
  for (const char* r : {"NX2001", "NX2004", "NX2005", "NX3001"}) EXPECT_EQ(count(after, r), 0u) << r << after;
}

TEST(FixCli, UnknownRuleIsAUsageError) {
  TempDir d;
  EXPECT_EQ(nxpool(d.path(), "fix --rule NX9999 .").status, 2);
}

}  // namespace
