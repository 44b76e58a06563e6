// Driver-Verifier-style code-integrity checks and MDLs (spec section 6:
// bug check 0xC4 with P1 0x2000 / 0x2002; section 4: MDL mapping rules;
// section 1.3: MmGetSystemAddressForMdlSafe goes through the opt-in wrapper).
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include <nxpool/wdm.h>

extern "C" PVOID verifier_auto_alloc(SIZE_T bytes, ULONG tag);
extern "C" PVOID verifier_auto_map(PMDL mdl);

namespace {

constexpr ULONG k_tag = 0x66695256;  // "VRif"

struct Seen {
  int count = 0;
  ULONG code = 0;
  ULONG_PTR p1 = 0, p3 = 0, p4 = 0;
};
Seen g_seen;

void record(ULONG code, ULONG_PTR p1, ULONG_PTR, ULONG_PTR p3, ULONG_PTR p4) {
  ++g_seen.count;
  g_seen.code = code;
  g_seen.p1 = p1;
  g_seen.p3 = p3;
  g_seen.p4 = p4;
}

// Turns the code-integrity checks on, with a recording bug-check handler, for
// one test; restores both afterwards.
class CodeIntegrity : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = {};
    previous_flags_ = nxpool_set_verifier_flags(NXPOOL_VERIFIER_CODE_INTEGRITY);
    previous_handler_ = nxpool_set_bugcheck_handler(record);
  }
  void TearDown() override {
    nxpool_set_bugcheck_handler(previous_handler_);
    nxpool_set_verifier_flags(previous_flags_);
  }
  ULONG previous_flags_ = 0;
  nxpool_bugcheck_handler previous_handler_ = nullptr;
};

TEST(Verifier, OffByDefault) {
  ULONG flags = nxpool_set_verifier_flags(0);
  EXPECT_EQ(flags, 0u);
  void *p = ExAllocatePoolWithTag(NonPagedPool, 16, k_tag);
  ASSERT_NE(p, nullptr);
  ExFreePoolWithTag(p, k_tag);
}

TEST_F(CodeIntegrity, ExecutablePoolTypeIs0xC4_0x2000AndFails) {
  void *p = ExAllocatePoolWithTag(NonPagedPool, 16, k_tag);
  EXPECT_EQ(p, nullptr);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x2000u);
  EXPECT_EQ(g_seen.p3, 0u);  // the pool type
  EXPECT_EQ(g_seen.p4, k_tag);
}

TEST_F(CodeIntegrity, EveryExecutableKindIsCaught) {
  for (POOL_TYPE t : {NonPagedPoolExecute, NonPagedPoolCacheAligned, NonPagedPoolSession}) {
    g_seen = {};
    EXPECT_EQ(ExAllocatePoolWithTag(t, 16, k_tag), nullptr) << t;
    EXPECT_EQ(g_seen.p1, 0x2000u) << t;
  }
  g_seen = {};
  EXPECT_EQ(ExAllocatePool(NonPagedPool, 16), nullptr);
  EXPECT_EQ(g_seen.p1, 0x2000u);
  g_seen = {};
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 16, k_tag), nullptr);
  EXPECT_EQ(g_seen.p1, 0x2000u);
  EXPECT_EQ(g_seen.p3, POOL_FLAG_NON_PAGED_EXECUTE);
}

TEST_F(CodeIntegrity, NxAndPagedRequestsPass) {
  void *a = ExAllocatePoolWithTag(NonPagedPoolNx, 16, k_tag);
  void *b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, k_tag);
  void *c = ExAllocatePoolWithTag(PagedPool, 16, k_tag);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(b, nullptr);
  EXPECT_NE(c, nullptr);
  EXPECT_EQ(g_seen.count, 0);
  for (void *p : {a, b, c}) ExFreePoolWithTag(p, k_tag);
}

TEST_F(CodeIntegrity, AutoOptedInDriverCodePasses) {
  void *p = verifier_auto_alloc(64, k_tag);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(nxpool_is_executable(p), 0);
  PMDL mdl = IoAllocateMdl(p, 64, FALSE, FALSE, nullptr);
  ASSERT_NE(mdl, nullptr);
  MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
  void *view = verifier_auto_map(mdl);  // the wrapper added MdlMappingNoExecute
  EXPECT_NE(view, nullptr);
  EXPECT_EQ(g_seen.count, 0);
  MmUnmapLockedPages(view, mdl);
  MmUnlockPages(mdl);
  IoFreeMdl(mdl);
  ExFreePoolWithTag(p, k_tag);
}

TEST_F(CodeIntegrity, ExecutableMdlMappingIs0xC4_0x2002AndFails) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  PMDL mdl = IoAllocateMdl(p, 64, FALSE, FALSE, nullptr);
  MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
  // This test file is not opted in: nothing adds MdlMappingNoExecute.
  EXPECT_EQ(MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority), nullptr);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x2002u);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(NormalPagePriority));
  g_seen = {};
  void *view = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
  EXPECT_NE(view, nullptr);
  EXPECT_EQ(g_seen.count, 0);
  // User-mode mappings are always no-execute: nothing to check.
  MmUnmapLockedPages(view, mdl);
  view = MmMapLockedPagesSpecifyCache(mdl, UserMode, MmCached, nullptr, FALSE, NormalPagePriority);
  EXPECT_NE(view, nullptr);
  EXPECT_EQ(g_seen.count, 0);
  MmUnmapLockedPages(view, mdl);
  MmUnlockPages(mdl);
  IoFreeMdl(mdl);
  ExFreePoolWithTag(p, k_tag);
}

TEST(VerifierDeath, DefaultReportNamesTheViolationAndAborts) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_CODE_INTEGRITY);
        ExAllocatePoolWithTag(NonPagedPool, 16, k_tag);
      },
      ::testing::KilledBySignal(SIGABRT),
      "0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION.*P1 0x2000: executable pool requested.*"
      "P4 pool tag: 0x66695256 'VRif'");
}

TEST(Mdl, DescribesTheRangeAndMapsForNonPagedPool) {
  char *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 8192, k_tag));
  ASSERT_NE(p, nullptr);
  PMDL mdl = IoAllocateMdl(p + 100, 5000, FALSE, FALSE, nullptr);
  ASSERT_NE(mdl, nullptr);
  EXPECT_EQ(static_cast<char *>(mdl->StartVa) + mdl->ByteOffset, p + 100);
  EXPECT_EQ(reinterpret_cast<ULONG_PTR>(mdl->StartVa) % 4096, 0u);
  EXPECT_EQ(mdl->ByteCount, 5000u);
  EXPECT_EQ(mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL, 0);
  MmBuildMdlForNonPagedPool(mdl);
  EXPECT_NE(mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL, 0);
  // No mapping needed: the inline helper returns MappedSystemVa (spec 4).
  EXPECT_EQ(MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority), p + 100);
  EXPECT_EQ(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA, 0);
  IoFreeMdl(mdl);
  EXPECT_EQ(IoAllocateMdl(p, 0, FALSE, FALSE, nullptr), nullptr);
  ExFreePoolWithTag(p, k_tag);
}

TEST(Mdl, LockMapUnmapUnlockTrackTheFlags) {
  void *p = ExAllocatePoolWithTag(PagedPool, 64, k_tag);
  PMDL mdl = IoAllocateMdl(p, 64, FALSE, FALSE, nullptr);
  MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
  EXPECT_NE(mdl->MdlFlags & MDL_PAGES_LOCKED, 0);
  void *view = MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, nullptr, FALSE,
                                            NormalPagePriority | MdlMappingNoExecute);
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view, p);  // MDL views are off here: the range's own address (mdl_view_test.cpp)
  EXPECT_NE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA, 0);
  EXPECT_EQ(mdl->MappedSystemVa, view);
  MmUnmapLockedPages(view, mdl);
  EXPECT_EQ(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA, 0);
  MmUnlockPages(mdl);
  EXPECT_EQ(mdl->MdlFlags & MDL_PAGES_LOCKED, 0);
  IoFreeMdl(mdl);
  ExFreePoolWithTag(p, k_tag);
}

}  // namespace
