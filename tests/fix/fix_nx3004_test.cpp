// NX3004's fix (deprecated allocators) through the built `nxpool` binary,
// with the three-way check of fix_check.h: the successor chosen by the
// target version, flags that keep the old call's behaviour, the redundant
// zeroing removed, and every case where the call must be left alone.
#include <gtest/gtest.h>

#include "fix_check.h"

namespace {
using namespace nxpool::testing::fixcheck;
using nxpool::testing::nxpool;
using nxpool::testing::TempDir;

const std::string kWin2004 = "--rule NX3004 -DNTDDI_VERSION=NTDDI_WIN10_VB";

TEST(FixNx3004, WithTagBecomesPool2AndTheZeroingGoes) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid f(SIZE_T n) {\n"
                     "  PVOID p;\n  p = ExAllocatePoolWithTag(NonPagedPoolNx, n, 'a');\n  RtlZeroMemory(p, n);\n"
                     "  char *q = (char *)ExAllocatePoolWithTag(PagedPool, 16, 'b');\n"
                     "  if (q == NULL) {\n    return;\n  }\n  memset(q, 0, 16);\n"
                     "  char *r = (char *)ExAllocatePoolWithTag(PagedPool, 16, 'c');\n  memset(r, 0, 8);\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid f(SIZE_T n) {\n"
                     "  PVOID p;\n  p = ExAllocatePool2(POOL_FLAG_NON_PAGED, n, 'a');\n"
                     "  char *q = (char *)ExAllocatePool2(POOL_FLAG_PAGED, 16, 'b');\n"
                     "  if (q == NULL) {\n    return;\n  }\n"
                     "  char *r = (char *)ExAllocatePool2(POOL_FLAG_PAGED, 16, 'c');\n  memset(r, 0, 8);\n}\n"}},
            kWin2004);
}

TEST(FixNx3004, QuotaRaisedPriorityBecomesPool3AndModifierBitsMap) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid f(void) {\n"
                     "  PVOID a = ExAllocatePoolWithQuotaTag(NonPagedPoolNx, 8, 'a');\n"
                     "  PVOID b = ExAllocatePoolWithQuotaTag(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, 8, 'b');\n"
                     "  PVOID c = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 8, 'c', LowPoolPriority);\n"
                     "  PVOID d = ExAllocatePoolWithTag((POOL_TYPE)(PagedPoolCacheAligned | POOL_RAISE_IF_ALLOCATION_FAILURE), 8, 'd');\n"
                     "  PVOID e = ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'e');\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid f(void) {\n"
                     "  PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, 8, 'a');\n"
                     "  PVOID b = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 8, 'b');\n"
                     "  PVOID c = ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, 'c', &(POOL_EXTENDED_PARAMETER){.Type = "
                     "PoolExtendedParameterPriority, .Priority = LowPoolPriority}, 1);\n"
                     "  PVOID d = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE, 8, 'd');\n"
                     "  PVOID e = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 8, 'e');\n}\n"}},
            kWin2004);
}

TEST(FixNx3004, NonPagedPoolOnlyWhereItIsAlreadyNx) {
  check_fix({{"auto.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\n"
                        "PVOID f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}},
            {{"auto.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\n"
                        "PVOID f(void) { return ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 'a'); }\n"}},
            kWin2004);
  Tree plain{{"plain.c", "#include <ntddk.h>\nPVOID f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  std::string err = check_fix(plain, plain, kWin2004);
  EXPECT_NE(err.find("plain.c:2:24: note: NX3004 not fixed: 'NonPagedPool' is executable pool here"), std::string::npos)
      << err;
}

TEST(FixNx3004, OlderTargetsGetTheUninitializedWrappers) {
  check_fix({{"a.c", "#include <ntddk.h>\nvoid f(void) {\n"
                     "  PVOID a = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a');\n  RtlZeroMemory(a, 8);\n"
                     "  PVOID b = ExAllocatePoolWithQuotaTag(PagedPool, 8, 'b');\n"
                     "  PVOID c = ExAllocatePoolWithTagPriority(PagedPool, 8, 'c', LowPoolPriority);\n}\n"}},
            {{"a.c", "#include <ntddk.h>\nvoid f(void) {\n"
                     "  PVOID a = ExAllocatePoolUninitialized(NonPagedPoolNx, 8, 'a');\n  RtlZeroMemory(a, 8);\n"
                     "  PVOID b = ExAllocatePoolQuotaUninitialized(PagedPool, 8, 'b');\n"
                     "  PVOID c = ExAllocatePoolPriorityUninitialized(PagedPool, 8, 'c', LowPoolPriority);\n}\n"}},
            "--rule NX3004 -DNTDDI_VERSION=0x06020000");
}

TEST(FixNx3004, LeftAloneWithoutATargetATagOrInCpp) {
  Tree t{{"a.c", "#include <ntddk.h>\nPVOID f(void) { return ExAllocatePoolWithTag(PagedPool, 8, 'a'); }\n"}};
  std::string err = check_fix(t, t, "--rule NX3004");
  EXPECT_NE(err.find("a.c:2:24: note: NX3004 not fixed: the Windows version this configuration targets is not known"),
            std::string::npos) << err;
  Tree u{{"b.c", "#include <ntddk.h>\nPVOID f(void) { return ExAllocatePool(PagedPool, 8); }\n"},
         {"c.cpp", "#include <ntddk.h>\nPVOID g() { return ExAllocatePoolWithTagPriority(PagedPool, 8, 'c', LowPoolPriority); }\n"}};
  err = check_fix(u, u, kWin2004);
  EXPECT_NE(err.find("b.c:2:24: note: NX3004 not fixed: ExAllocatePool has no tag"), std::string::npos) << err;
  EXPECT_NE(err.find("c.cpp:2:20: note: NX3004 not fixed: ExAllocatePool3's priority parameter"), std::string::npos)
      << err;
}

TEST(FixNx3004, OffUnlessTheRuleOrTheConfigTurnsItOn) {
  Tree t{{"a.c", "#include <ntddk.h>\nPVOID f(void) { return ExAllocatePoolWithTag(PagedPool, 8, 'a'); }\n"}};
  TempDir d;
  write_tree(d, t);
  EXPECT_EQ(count(nxpool(d.path(), "scan -DNTDDI_VERSION=NTDDI_WIN10_VB .").out, "NX3004"), 0u);
  check_fix(t, t, "-DNTDDI_VERSION=NTDDI_WIN10_VB");
  Tree on = t;
  on[".nxpool.toml"] = "[rules]\nNX3004 = \"on\"\n";
  d.write(".nxpool.toml", on[".nxpool.toml"]);
  std::string scan = nxpool(d.path(), "scan -DNTDDI_VERSION=NTDDI_WIN10_VB .").out;
  EXPECT_EQ(count(scan, "NX3004"), 1u) << scan;
  Tree after = on;
  after["a.c"] = "#include <ntddk.h>\nPVOID f(void) { return ExAllocatePool2(POOL_FLAG_PAGED, 8, 'a'); }\n";
  check_fix(on, after, "-DNTDDI_VERSION=NTDDI_WIN10_VB");
}

// When NX2001's fix runs in the same pass (both rules on, an executable
// NonPagedPool in a plain unit), the two edits meet on one argument: the
// call becomes ExAllocatePool2 with NX flags at once, both findings count
// as fixed, and a second run has nothing left (issue 12: idempotent; found
// on virtio-win, where it took two runs).
TEST(FixNx3004, SameRunAsNx2001GivesNxFlagsInOnePass) {
  Tree before{{".nxpool.toml", "[rules]\nNX3004 = \"on\"\n"},
              {"plain.c", "#include <ntddk.h>\nPVOID f(void) {\n  return ExAllocatePoolWithTag(NonPagedPool, 8, 'a');\n}\n"}};
  Tree after = before;
  after["plain.c"] = "#include <ntddk.h>\nPVOID f(void) {\n  return ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 'a');\n}\n";
  std::string err = check_fix(before, after, "-DNTDDI_VERSION=NTDDI_WIN10_VB");
  EXPECT_NE(err.find("NX2001 1"), std::string::npos) << err;
  EXPECT_NE(err.find("NX3004 1"), std::string::npos) << err;
  EXPECT_NE(err.find("; 0 left alone"), std::string::npos) << err;
  // An opted-out file's NonPagedPool is meant: NX2001 leaves it, so NX3004 does too.
  Tree optout{{".nxpool.toml", "[rules]\nNX3004 = \"on\"\n"},
              {"thunk.c", "#define POOL_NX_OPTOUT 1\n#include <ntddk.h>\nPVOID f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  err = check_fix(optout, optout, "-DNTDDI_VERSION=NTDDI_WIN10_VB -DPOOL_NX_OPTIN_AUTO=1");
  EXPECT_NE(err.find("NX3004 not fixed: 'NonPagedPool' is executable pool here"), std::string::npos) << err;
}

// A driver's own allocation macro (winfsp, dokany and openzfs have one):
// the call is fixed once, in the definition, when every use agrees; the
// sources using it are not touched.
TEST(FixNx3004, AllocationMacroIsFixedInItsDefinition) {
  Tree before{{"drv.h", "#pragma once\n#include <ntddk.h>\n#define DRV_TAG 'vrDx'\n"
                        "#define DrvAlloc(Size)  ExAllocatePoolWithTag(NonPagedPool, Size, DRV_TAG)\n"},
              {"a.c", "#include \"drv.h\"\nPVOID a(void) { return DrvAlloc(16); }\n"},
              {"b.c", "#include \"drv.h\"\nPVOID b(SIZE_T n) {\n  PVOID p = DrvAlloc(n);\n  return p;\n}\n"}};
  Tree after = before;
  after["drv.h"] = "#pragma once\n#include <ntddk.h>\n#define DRV_TAG 'vrDx'\n"
                   "#define DrvAlloc(Size)  ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, DRV_TAG)\n";
  std::string err = check_fix(before, after, kWin2004 + " -DPOOL_NX_OPTIN_AUTO=1");
  EXPECT_NE(err.find("NX3004 2"), std::string::npos) << err;
}

TEST(FixNx3004, AllocationMacroLeftAloneWhenAUseDisagrees) {
  // b.c is not opted in: there the macro's NonPagedPool is executable pool (NX2001).
  Tree t{{"drv.h", "#pragma once\n#include <ntddk.h>\n"
                   "#define DrvAlloc(Size) ExAllocatePoolWithTag(NonPagedPool, Size, 'vrDx')\n"},
         {"a.c", "#define POOL_NX_OPTIN_AUTO 1\n#include \"drv.h\"\nPVOID a(void) { return DrvAlloc(16); }\n"},
         {"b.c", "#include \"drv.h\"\nPVOID b(void) { return DrvAlloc(32); }\n"}};
  std::string err = check_fix(t, t, kWin2004);
  EXPECT_NE(err.find("inside the expansion of macro 'DrvAlloc': NX2001 reads it too"),
            std::string::npos) << err;
  // Two allocators in one body: not guessed at.
  Tree two{{"drv.h", "#pragma once\n#include <ntddk.h>\n"
                     "#define DrvAlloc2(S) (ExAllocatePoolWithTag(PagedPool, S, 'a'), ExAllocatePoolWithTag(PagedPool, S, 'b'))\n"},
           {"a.c", "#include \"drv.h\"\nvoid a(void) { (void)DrvAlloc2(16); }\n"}};
  err = check_fix(two, two, kWin2004);
  EXPECT_NE(err.find("calls more than one allocator"), std::string::npos) << err;
}

}  // namespace
