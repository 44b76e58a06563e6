// Driver Verifier's special pool (issue 13, option 0x1): placement against
// guard pages, the fill checked at free, the quarantine, the filters, and
// the bug checks 0xD6, 0xCC and 0xC1 with their parameters.
//
// Faults are checked twice: in process with a recording bug-check handler
// (the handler returns, the page is opened and the access completes), and
// as death tests, where the child must die by SIGABRT and print the decoded
// report. A fault outside the special pool must still be a plain SIGSEGV.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

// ASan and TSan install their own SIGSEGV handler, which then is the one
// libnxpool's chains to.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SPECIAL_POOL_TEST_SANITIZER_SEGV 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SPECIAL_POOL_TEST_SANITIZER_SEGV 1
#endif
#endif

#include "bugcheck_recorder.h"

namespace {

constexpr ULONG k_tag = 0x31705053;    // "SPp1"
constexpr ULONG k_other = 0x32705053;  // "SPp2"
constexpr std::uintptr_t k_page = 4096;
constexpr unsigned char k_fill = 0xA7;  // special.h's fill byte

using nxpool_test::g_seen;
using nxpool_test::record;

std::uintptr_t in_page(const void *p) { return reinterpret_cast<std::uintptr_t>(p) % k_page; }
ULONG_PTR addr(const void *p) { return reinterpret_cast<ULONG_PTR>(p); }

// Special pool on with the defaults (every tag, 1-4096, overrun, 1024) and,
// unless a death test wants the default report, a recording handler.
class SpecialPool : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
  void SetUp() override {
    g_seen = {};
    nxpool_special_pool_configure(0, 1, 4096, 0, 1024);
    previous_flags_ = nxpool_set_verifier_flags(NXPOOL_VERIFIER_SPECIAL_POOL);
  }
  void TearDown() override {
    nxpool_set_bugcheck_handler(nullptr);
    nxpool_set_verifier_flags(previous_flags_);
  }
  static void recording() { nxpool_set_bugcheck_handler(record); }
  ULONG previous_flags_ = 0;
};

TEST_F(SpecialPool, OverrunModeEndsTheBlockAtThePageEnd) {
  for (SIZE_T n : {SIZE_T{1}, SIZE_T{16}, SIZE_T{100}, SIZE_T{4096}}) {
    auto *p = static_cast<unsigned char *>(ExAllocatePoolWithTag(NonPagedPoolNx, n, k_tag));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(nxpool_special_pool_contains(p), 1) << n;
    EXPECT_EQ((in_page(p) + ((n + 15) & ~SIZE_T{15})) % k_page, 0u) << n;
    for (SIZE_T i = 0; i < n; ++i) ASSERT_EQ(p[i], 0) << n << " byte " << i;
    EXPECT_EQ(nxpool_is_executable(p), 0);
    ExFreePoolWithTag(p, k_tag);
    EXPECT_EQ(nxpool_special_pool_contains(p), 0) << n;
  }
  void *x = ExAllocatePoolWithTag(NonPagedPoolExecute, 40, k_tag);
  EXPECT_EQ(nxpool_special_pool_contains(x), 1);
  EXPECT_EQ(nxpool_is_executable(x), 1);
  ExFreePool(x);
}

TEST_F(SpecialPool, CacheAlignedBlocksEndOnA64ByteBoundary) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNxCacheAligned, 100, k_tag);
  EXPECT_EQ(in_page(p), k_page - 128);
  ExFreePool(p);
  void *q = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 100, k_tag);
  EXPECT_EQ(in_page(q), k_page - 128);
  ExFreePool(q);
}

TEST_F(SpecialPool, UnderrunModeStartsTheBlockOnThePage) {
  nxpool_special_pool_configure(0, 1, 4096, 1, 1024);
  void *p = ExAllocatePoolWithTag(PagedPool, 100, k_tag);
  EXPECT_EQ(nxpool_special_pool_contains(p), 1);
  EXPECT_EQ(in_page(p), 0u);
  ExFreePool(p);
}

TEST_F(SpecialPool, FiltersByTagAndSize) {
  nxpool_special_pool_configure(k_tag, 32, 64, 0, 1024);
  struct Case {
    ULONG tag;
    SIZE_T bytes;
    int special;
  };
  for (Case c : {Case{k_tag, 48, 1}, Case{k_tag, 32, 1}, Case{k_tag, 64, 1}, Case{k_tag, 16, 0},
                 Case{k_tag, 65, 0}, Case{k_other, 48, 0}}) {
    void *p = ExAllocatePoolWithTag(NonPagedPoolNx, c.bytes, c.tag);
    EXPECT_EQ(nxpool_special_pool_contains(p), c.special) << c.bytes;
    ExFreePool(p);
  }
  nxpool_special_pool_configure(0, 1, 1 << 20, 0, 1024);
  void *big = ExAllocatePoolWithTag(NonPagedPoolNx, 5000, k_tag);
  EXPECT_EQ(nxpool_special_pool_contains(big), 0);  // more than a page: normal pool
  ExFreePool(big);
}

TEST_F(SpecialPool, FreeStillWorksAfterTheOptionIsTurnedOff) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 24, k_tag);
  ASSERT_EQ(nxpool_special_pool_contains(p), 1);
  nxpool_set_verifier_flags(0);
  recording();
  ExFreePoolWithTag(p, k_tag);
  EXPECT_EQ(g_seen.count, 0);
  EXPECT_EQ(nxpool_special_pool_contains(p), 0);
}

TEST_F(SpecialPool, WriteBeyondTheEndIs0xD6) {
  recording();
  auto *p = static_cast<volatile unsigned char *>(
      ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  p[112] = 1;  // the first byte of the guard page
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xD6u);
  EXPECT_EQ(g_seen.p1, addr(const_cast<unsigned char *>(p) + 112));
#if defined(__x86_64__)
  EXPECT_EQ(g_seen.p2, 1u);  // a write
#endif
  EXPECT_NE(g_seen.p3, 0u);  // the instruction
  EXPECT_EQ(g_seen.p4, 0u);
  ExFreePool(const_cast<unsigned char *>(p));
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(SpecialPool, UnderrunReadIs0xD6) {
  nxpool_special_pool_configure(0, 1, 4096, 1, 1024);
  recording();
  auto *p = static_cast<volatile unsigned char *>(
      ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  unsigned char before = p[-1];
  EXPECT_EQ(before, 0);  // the opened guard page reads as zero
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xD6u);
  EXPECT_EQ(g_seen.p1, addr(const_cast<unsigned char *>(p) - 1));
  EXPECT_EQ(g_seen.p2, 0u);  // a read
  ExFreePool(const_cast<unsigned char *>(p));
}

TEST_F(SpecialPool, TouchOfAFreedBlockIs0xCC) {
  recording();
  auto *p = static_cast<volatile unsigned char *>(
      ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag));
  ExFreePool(const_cast<unsigned char *>(p));
  unsigned char late = p[3];
  (void)late;
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xCCu);
  EXPECT_EQ(g_seen.p1, addr(const_cast<unsigned char *>(p) + 3));
  EXPECT_EQ(g_seen.p2, 0u);
}

TEST_F(SpecialPool, DamagedFillBeforeTheBlockIs0xC1_23AndKeepsTheBlock) {
  recording();
  auto *p = static_cast<unsigned char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  p[-5] = 0;
  ExFreePool(p);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC1u);
  EXPECT_EQ(g_seen.p1, addr(p));
  EXPECT_EQ(g_seen.p2, addr(p - 5));
  EXPECT_EQ(g_seen.p4, 0x23u);
  EXPECT_EQ(nxpool_special_pool_contains(p), 1);  // not freed
  p[-5] = k_fill;
  ExFreePool(p);
  EXPECT_EQ(g_seen.count, 1);
  EXPECT_EQ(nxpool_special_pool_contains(p), 0);
}

TEST_F(SpecialPool, WriteIntoTheAlignmentSlackIs0xC1_24) {
  recording();
  auto *p = static_cast<unsigned char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  p[100] = 0;  // 12 bytes of slack lie between the block and the guard page
  ExFreePool(p);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC1u);
  EXPECT_EQ(g_seen.p2, addr(p + 100));
  EXPECT_EQ(g_seen.p4, 0x24u);
  p[100] = k_fill;
  ExFreePool(p);
}

TEST_F(SpecialPool, UnderrunModeOverrunIsFoundAtFree) {
  nxpool_special_pool_configure(0, 1, 4096, 1, 1024);
  recording();
  auto *p = static_cast<unsigned char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  p[200] = 0;
  ExFreePool(p);
  EXPECT_EQ(g_seen.code, 0xC1u);
  EXPECT_EQ(g_seen.p2, addr(p + 200));
  EXPECT_EQ(g_seen.p4, 0x24u);
  p[200] = k_fill;
  ExFreePool(p);
}

TEST_F(SpecialPool, StaleFreeIs0xCC) {
  recording();
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  ExFreePoolWithTag(p, k_tag);
  ExFreePoolWithTag(p, k_tag);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xCCu);
  EXPECT_EQ(g_seen.p1, addr(p));
  EXPECT_EQ(g_seen.p2, 0u);
  EXPECT_NE(g_seen.p3, 0u);  // the caller
}

TEST_F(SpecialPool, StaleFreeAfterReuseIs0xCCAndSparesTheNewOwner) {
  recording();
  void *mine = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  ExFreePoolWithTag(mine, k_tag);
  auto *theirs = static_cast<unsigned char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag));
  ASSERT_NE(static_cast<void *>(theirs), mine);  // the freed page is quarantined
  theirs[0] = 42;
  ExFreePoolWithTag(mine, k_tag);  // the stale free
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xCCu);
  EXPECT_EQ(g_seen.p1, addr(mine));
  EXPECT_EQ(nxpool_special_pool_contains(theirs), 1);
  EXPECT_EQ(theirs[0], 42);
  ExFreePoolWithTag(theirs, k_tag);
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(SpecialPool, InteriorFreeIs0xC1_21) {
  recording();
  auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  ExFreePool(p + 16);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC1u);
  EXPECT_EQ(g_seen.p1, addr(p + 16));
  EXPECT_EQ(g_seen.p2, 100u);
  EXPECT_EQ(g_seen.p3, k_page - in_page(p + 16));
  EXPECT_EQ(g_seen.p4, 0x21u);
  ExFreePool(p);
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(SpecialPool, FreeOfAGuardPageIs0xC1_20) {
  recording();
  auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
  char *guard = p + 112;
  ExFreePool(guard);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC1u);
  EXPECT_EQ(g_seen.p1, addr(guard));
  EXPECT_EQ(g_seen.p4, 0x20u);
  ExFreePool(p);
}

TEST_F(SpecialPool, WrongTagIsStillBadPoolCaller0A) {
  recording();
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag);
  ExFreePoolWithTag(p, k_other);
  EXPECT_EQ(g_seen.code, 0xC2u);
  EXPECT_EQ(g_seen.p1, 0x0Au);
  EXPECT_EQ(nxpool_special_pool_contains(p), 1);
  ExFreePoolWithTag(p, k_tag);
}

TEST_F(SpecialPool, QuarantineDelaysReuse) {
  nxpool_special_pool_configure(0, 1, 4096, 0, 0);  // empties the quarantine
  void *a = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  ExFreePool(a);
  void *again = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  EXPECT_EQ(again, a);  // no quarantine: the slot is reused at once
  nxpool_special_pool_configure(0, 1, 4096, 0, 8);
  ExFreePool(again);
  for (int i = 0; i < 8; ++i) {
    void *x = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
    EXPECT_NE(x, a) << i;
    ExFreePool(x);
  }
  void *later = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  EXPECT_EQ(later, a);  // eight newer frees pushed it out of the quarantine
  ExFreePool(later);
}

TEST_F(SpecialPool, OverrunKillsWithTheDecodedReport) {
  EXPECT_EXIT(
      {
        auto *p = static_cast<volatile char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
        p[112] = 1;
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000D6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION\n"
      "  an access beyond the allocation hit a special-pool guard page\n"
      "  P1 address referenced: 0x[0-9a-f]+000\n"
      "  P2 (write|read \\(or not known\\)): 0x[01]\n"
      "  P3 code address of the access: 0x[0-9a-f]+\n");
}

TEST_F(SpecialPool, UseAfterFreeKillsWithTheDecodedReport) {
  EXPECT_EXIT(
      {
        auto *p = static_cast<volatile char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
        ExFreePool(const_cast<char *>(p));
        p[0] = 1;
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000CC PAGE_FAULT_IN_FREED_SPECIAL_POOL\n"
      "  a freed special-pool block was touched");
}

TEST_F(SpecialPool, DamagedFillKillsWithTheDecodedReport) {
  EXPECT_EXIT(
      {
        auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100, k_tag));
        p[-1] = 0;
        ExFreePool(p);
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000C1 SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION\n"
      "  P4 0x23: the fill before the block \\(same page\\) was overwritten\n"
      "  P1 address passed to the free: 0x[0-9a-f]+\n"
      "  P2 first damaged byte: 0x[0-9a-f]+\n");
}

void touch_a_foreign_page() {
  void *page = mmap(nullptr, k_page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  static_cast<volatile char *>(page)[0] = 1;
}

void previous_handler(int) {
  static const char text[] = "the previous SIGSEGV handler ran\n";
  (void)!write(STDERR_FILENO, text, sizeof text - 1);
  _exit(3);
}

TEST_F(SpecialPool, OtherFaultsGoToThePreviousHandler) {
  EXPECT_EXIT(
      {
        signal(SIGSEGV, previous_handler);
        ExFreePool(ExAllocatePoolWithTag(NonPagedPoolNx, 8, k_tag));  // installs libnxpool's
        touch_a_foreign_page();
      },
      ::testing::ExitedWithCode(3), "the previous SIGSEGV handler ran\n");
}

TEST_F(SpecialPool, OtherFaultsStayPlainSegfaults) {
#if defined(SPECIAL_POOL_TEST_SANITIZER_SEGV)
  GTEST_SKIP() << "the sanitizer's SEGV handler is the previous handler here: it reports the "
                  "fault and exits instead of dying by SIGSEGV (OtherFaultsGoToThePreviousHandler "
                  "covers the chaining)";
#endif
  EXPECT_EXIT(
      {
        ExFreePool(ExAllocatePoolWithTag(NonPagedPoolNx, 8, k_tag));  // handler installed
        touch_a_foreign_page();
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
