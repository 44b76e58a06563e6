// Issue 13, "What a hostile test found the runtime lets through", and "A
// real MDL mapping". Each misuse is a bug check (recorded by a handler that
// returns, so the test can check that the runtime then stays safe) and, for
// the default handler, a death test in a child process checking signal and
// text. Faults are checked in children that print where they faulted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>

#include <nxpool/wdm.h>

#include "bugcheck_recorder.h"

namespace {

constexpr ULONG k_tag = 0x74736F48;  // "Host"

using nxpool_test::g_seen;
using nxpool_test::record;

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = {};
    handler_ = nxpool_set_bugcheck_handler(record);
  }
  void TearDown() override {
    nxpool_set_bugcheck_handler(handler_);
    nxpool_set_verifier_flags(0);
  }
  nxpool_bugcheck_handler handler_ = nullptr;
};

// ---- the free list -----------------------------------------------------------

TEST_F(Hostile, WriteIntoAFreedBlockIsCaughtNotFollowed) {
  // A class no other test here uses, so the freed block is the list's head.
  auto *a = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 200, k_tag));
  ASSERT_NE(a, nullptr);
  ExFreePoolWithTag(a, k_tag);
  static char target[256];
  const std::uintptr_t evil[2] = {reinterpret_cast<std::uintptr_t>(target),
                                  reinterpret_cast<std::uintptr_t>(target)};
  std::memcpy(a, evil, sizeof evil);  // use after free: 16 bytes of the writer's choice
  std::set<void *> handed_out;
  for (int i = 0; i < 64; ++i) {
    void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 200, k_tag);
    ASSERT_NE(p, nullptr);
    EXPECT_NE(p, static_cast<void *>(target));
    EXPECT_NE(p, static_cast<void *>(a));  // the damaged list is dropped, never reused
    EXPECT_EQ(nxpool_is_executable(p), 0);
    handed_out.insert(p);
  }
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0x19u);  // BAD_POOL_HEADER
  EXPECT_EQ(g_seen.p1, 0x3u);     // the free list is damaged
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(a));
  EXPECT_EQ(g_seen.p3, evil[0]);
  for (void *p : handed_out) ExFreePoolWithTag(p, k_tag);
}

TEST(HostileDeath, WriteIntoAFreedBlockAborts) {
  EXPECT_EXIT(
      {
        void *a = ExAllocatePoolWithTag(PagedPool, 300, k_tag);
        ExFreePoolWithTag(a, k_tag);
        std::memset(a, 0x41, 16);
        ExAllocatePoolWithTag(PagedPool, 300, k_tag);
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x00000019 BAD_POOL_HEADER\n"
      "  P1 0x03: a pool free list is damaged .*\n"
      "  P2 the free block: 0x[0-9a-f]+\n"
      "  P3 its first word \\(encoded link\\): 0x4141414141414141\n");
}

// ---- lookaside lists -----------------------------------------------------------

TEST_F(Hostile, LookasideReinitialisedIs0xC4_0xCA) {
  static NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_NX_ALLOCATION, 64, k_tag, 0);
  void *e = ExAllocateFromNPagedLookasideList(&list);
  ExFreeToNPagedLookasideList(&list, e);  // one cached entry
  ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_NX_ALLOCATION, 64, k_tag, 0);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0xCAu);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(&list));
  EXPECT_EQ(ExAllocateFromNPagedLookasideList(&list), e);  // the list was left alone
  ExFreeToNPagedLookasideList(&list, e);
  ExDeleteNPagedLookasideList(&list);
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(Hostile, DeletingAnUninitialisedLookasideIs0xC4_0xCB) {
  PAGED_LOOKASIDE_LIST list;
  std::memset(&list, 0xA5, sizeof list);  // garbage, including the lock word
  ExDeletePagedLookasideList(&list);      // before: spun forever on the lock
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.p1, 0xCBu);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(&list));
  // Deleted twice: the second is uninitialised too.
  LOOKASIDE_LIST_EX ex;
  ASSERT_EQ(ExInitializeLookasideListEx(&ex, nullptr, nullptr, NonPagedPoolNx, 0, 32, k_tag, 0),
            STATUS_SUCCESS);
  ExDeleteLookasideListEx(&ex);
  ExDeleteLookasideListEx(&ex);
  EXPECT_EQ(g_seen.count, 2);
  EXPECT_EQ(g_seen.p1, 0xCBu);
}

TEST_F(Hostile, FreeingPoolThatHoldsALiveLookasideIs0xC4_0xCC) {
  nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
  auto *block = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 512, k_tag));
  auto *list = reinterpret_cast<PNPAGED_LOOKASIDE_LIST>(block + 64);
  ExInitializeNPagedLookasideList(list, nullptr, nullptr, POOL_NX_ALLOCATION, 32, k_tag, 0);
  ExFreePoolWithTag(block, k_tag);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.p1, 0xCCu);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(list));
  EXPECT_EQ(g_seen.p3, reinterpret_cast<ULONG_PTR>(block));
  EXPECT_EQ(g_seen.p4, 512u);
  ExDeleteNPagedLookasideList(list);  // still usable: the free did not happen
  ExFreePoolWithTag(block, k_tag);
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(Hostile, FreeToTheWrongLookasideListIs0xC4_0x16) {
  nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
  NPAGED_LOOKASIDE_LIST small, large;
  LOOKASIDE_LIST_EX ex;
  ExInitializeNPagedLookasideList(&small, nullptr, nullptr, POOL_NX_ALLOCATION, 32, k_tag, 0);
  ExInitializeNPagedLookasideList(&large, nullptr, nullptr, POOL_NX_ALLOCATION, 96, k_tag, 0);
  constexpr ULONG ex_tag = 0x78457848;  // "HxEx"
  ASSERT_EQ(ExInitializeLookasideListEx(&ex, nullptr, nullptr, NonPagedPoolNx, 0, 32, ex_tag, 0),
            STATUS_SUCCESS);
  void *from_large = ExAllocateFromNPagedLookasideList(&large);
  void *plain = ExAllocatePoolWithTag(NonPagedPoolNx, 32, 0x6e69616c);  // "lain": another tag
  void *own = ExAllocateFromNPagedLookasideList(&small);
  struct Case {
    const char *what;
    void *entry;
  };
  for (Case c : {Case{"entry of another list (same tag, other size)", from_large},
                 Case{"plain pool block", plain},
                 Case{"interior address", static_cast<char *>(own) + 16}}) {
    g_seen = {};
    ExFreeToNPagedLookasideList(&small, c.entry);
    ASSERT_EQ(g_seen.count, 1) << c.what;
    EXPECT_EQ(g_seen.code, 0xC4u) << c.what;
    EXPECT_EQ(g_seen.p1, 0x16u) << c.what;
    EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(&small)) << c.what;
    EXPECT_EQ(g_seen.p3, reinterpret_cast<ULONG_PTR>(c.entry)) << c.what;
  }
  g_seen = {};
  ExFreeToLookasideListEx(&ex, own);  // right size, other tag
  EXPECT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.p1, 0x16u);
  g_seen = {};
  ExFreeToNPagedLookasideList(&small, own);  // where it came from: fine
  ExFreeToNPagedLookasideList(&large, from_large);
  EXPECT_EQ(g_seen.count, 0);
  ExFreePoolWithTag(plain, 0x6e69616c);  // the refused frees left it allocated
  ExDeleteNPagedLookasideList(&small);
  ExDeleteNPagedLookasideList(&large);
  ExDeleteLookasideListEx(&ex);
  EXPECT_EQ(g_seen.count, 0);
}

TEST_F(Hostile, FreeToAListWithItsOwnAllocatorIsNotChecked) {
  nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
  NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(
      &list,
      [](POOL_TYPE, SIZE_T n, ULONG t) { return ExAllocatePoolWithTag(NonPagedPoolNx, n, t); },
      [](PVOID p) { ExFreePool(p); }, POOL_NX_ALLOCATION, 32, k_tag, 0);
  void *other = ExAllocatePoolWithTag(NonPagedPoolNx, 48, k_tag);
  ExFreeToNPagedLookasideList(&list, other);  // the callbacks may hand out any memory
  EXPECT_EQ(g_seen.count, 0);
  ExDeleteNPagedLookasideList(&list);
  EXPECT_EQ(g_seen.count, 0);
}

TEST(HostileDeath, FreeToTheWrongLookasideListAborts) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
        NPAGED_LOOKASIDE_LIST list;
        ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_NX_ALLOCATION, 32, k_tag, 0);
        ExFreeToNPagedLookasideList(&list, ExAllocatePoolWithTag(NonPagedPoolNx, 32, 0x6e69616c));
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION\n"
      "  P1 0x16: a bad address passed to a memory routine \\(an entry freed to a lookaside list "
      "it did not come from\\)\n"
      "  P2 the lookaside list: 0x[0-9a-f]+\n"
      "  P3 the entry: 0x[0-9a-f]+\n");
}

// ---- MDLs --------------------------------------------------------------------

TEST_F(Hostile, MdlMisuse) {
  auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 256, k_tag));
  PMDL mdl = IoAllocateMdl(p, 256, FALSE, FALSE, nullptr);
  ASSERT_NE(mdl, nullptr);
  // Mapped while not locked.
  EXPECT_EQ(MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, nullptr, FALSE,
                                         NormalPagePriority | MdlMappingNoExecute),
            nullptr);
  EXPECT_EQ(g_seen.p1, 0x85u);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(mdl));
  // Unlocked while never locked.
  MmUnlockPages(mdl);
  EXPECT_EQ(g_seen.p1, 0x7Cu);
  MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
  void *view = MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, nullptr, FALSE,
                                            NormalPagePriority | MdlMappingNoExecute);
  ASSERT_NE(view, nullptr);
  // Mapped twice into system space.
  EXPECT_EQ(MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, nullptr, FALSE,
                                         NormalPagePriority | MdlMappingNoExecute),
            nullptr);
  EXPECT_EQ(g_seen.p1, 0xB2u);
  // Freed while mapped.
  IoFreeMdl(mdl);
  EXPECT_EQ(g_seen.p1, 0xB8u);
  EXPECT_EQ(g_seen.count, 4);
  MmUnmapLockedPages(view, mdl);
  MmUnmapLockedPages(view, mdl);  // unmapped twice
  EXPECT_EQ(g_seen.count, 5);
  EXPECT_EQ(g_seen.p1, 0x10u);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(view));
  MmUnlockPages(mdl);
  IoFreeMdl(mdl);
  EXPECT_EQ(g_seen.count, 5);
  IoFreeMdl(mdl);  // freed twice: MDLs are pool, the pool's double free
  EXPECT_EQ(g_seen.count, 6);
  EXPECT_EQ(g_seen.code, 0xC2u);
  EXPECT_EQ(g_seen.p1, 0x07u);
  // Built for nonpaged pool: needs no mapping, and mapping it is an error.
  PMDL np = IoAllocateMdl(p, 256, FALSE, FALSE, nullptr);
  MmBuildMdlForNonPagedPool(np);
  EXPECT_EQ(MmMapLockedPagesSpecifyCache(np, KernelMode, MmCached, nullptr, FALSE,
                                         NormalPagePriority | MdlMappingNoExecute),
            nullptr);
  EXPECT_EQ(g_seen.p1, 0xB3u);
  IoFreeMdl(np);
  ExFreePoolWithTag(p, k_tag);
}

TEST(HostileDeath, DoubleIoFreeMdlIsTheBugCheckNotAGlibcAbort) {
  EXPECT_EXIT(
      {
        static char buffer[64];
        PMDL mdl = IoAllocateMdl(buffer, 64, FALSE, FALSE, nullptr);
        IoFreeMdl(mdl);
        IoFreeMdl(mdl);
      },
      ::testing::KilledBySignal(SIGABRT),
      "BAD_POOL_CALLER\n  P1 0x07: freeing a block that is not allocated");
}

TEST(HostileDeath, ProbingNoAccessMemoryRaisesAccessViolation) {
  EXPECT_EXIT(
      {
        // Reserved no-access pages: unlike an unmapped range, nothing else
        // can be mapped there meanwhile (ASan's allocator maps all the time).
        void *hole = mmap(nullptr, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        PMDL mdl = IoAllocateMdl(hole, 8192, FALSE, FALSE, nullptr);
        MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
      },
      ::testing::KilledBySignal(SIGABRT), "ExRaiseStatus 0xC0000005 STATUS_ACCESS_VIOLATION");
}

TEST_F(Hostile, ProbingUnmappedMemoryLocksNothingWhenTheRaiseReturns) {
  static NTSTATUS raised;
  raised = 0;
  nxpool_raise_handler old = nxpool_set_raise_handler([](NTSTATUS s) { raised = s; });
  // The first page readable, the second no-access (reserved, so nothing else
  // can be mapped there while the test runs).
  void *hole = mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(static_cast<char *>(hole) + 4096, 4096, PROT_NONE);
  PMDL mdl = IoAllocateMdl(static_cast<char *>(hole) + 100, 5000, FALSE, FALSE, nullptr);
  MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
  EXPECT_EQ(raised, STATUS_ACCESS_VIOLATION);
  EXPECT_EQ(mdl->MdlFlags & MDL_PAGES_LOCKED, 0);
  nxpool_set_raise_handler(old);
  IoFreeMdl(mdl);
  munmap(hole, 8192);
}

}  // namespace
