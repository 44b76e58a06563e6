// Bug checks and raises in user mode (issue 3 item 2; spec section 3.3's
// BAD_POOL_CALLER table and section 6's 0xC4 table).
//
// Default behaviour is checked with death tests: the child must die by
// SIGABRT *and* print the decoded report. Handler behaviour is checked in
// process: the handler sees the code and parameters, and when it returns the
// failing operation is made safe (NULL, or the free ignored).
#include <nxpool/wdm.h>

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

constexpr ULONG k_tag = 0x31676154;    // "Tag1"
constexpr ULONG k_other = 0x32676154;  // "Tag2"

class BugCheckDeath : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(BugCheckDeath, WrongTagFreeReportsBadPoolCaller0A) {
  EXPECT_EXIT(
      {
        void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
        ExFreePoolWithTag(p, k_other);
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000C2 BAD_POOL_CALLER\n"
      "  P1 0x0A: a block freed with a tag other than the one it was allocated with\n"
      "  P2 address of the block: 0x[0-9a-f]+\n"
      "  P3 tag the block was allocated with: 0x31676154 'Tag1'\n"
      "  P4 tag passed to the free: 0x32676154 'Tag2'\n"
      "  caller: 0x[0-9a-f]+");
}

TEST_F(BugCheckDeath, ZeroTagReportsBadPoolCaller9B) {
  EXPECT_EXIT(ExAllocatePoolWithTag(NonPagedPoolNx, 77, 0), ::testing::KilledBySignal(SIGABRT),
              "BAD_POOL_CALLER\n"
              "  P1 0x9B: an allocation with tag 0 \\(tags must be non-zero\\)\n"
              "  P2 pool type: 0x200\n"
              "  P3 bytes requested: 0x4d\n");
}

TEST_F(BugCheckDeath, DoubleFreeIsReported) {
  EXPECT_EXIT(
      {
        void *p = ExAllocatePoolWithTag(PagedPool, 32, k_tag);
        ExFreePoolWithTag(p, k_tag);
        ExFreePoolWithTag(p, k_tag);
      },
      ::testing::KilledBySignal(SIGABRT),
      "BAD_POOL_CALLER\n  P1 0x07: freeing a block that is not allocated \\(already freed\\)");
}

TEST_F(BugCheckDeath, FreeingNonPoolMemoryIsReported) {
  EXPECT_EXIT(
      {
        int local = 0;
        ExFreePool(&local);
      },
      ::testing::KilledBySignal(SIGABRT),
      "P1 0x46: freeing an address that is not the start of a pool block\n"
      "  P2 address passed to the free: 0x[0-9a-f]+");
}

TEST_F(BugCheckDeath, MustSucceedIsRefused) {
  EXPECT_EXIT(ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 10, k_tag),
              ::testing::KilledBySignal(SIGABRT),
              "P1 0x9A: a must-succeed pool type was requested");
}

TEST_F(BugCheckDeath, DirectCallDecodesVerifierCodeIntegrityViolation) {
  EXPECT_EXIT(KeBugCheckEx(0xC4, 0x2000, 0x1234, NonPagedPool, k_tag),
              ::testing::KilledBySignal(SIGABRT),
              "KeBugCheckEx 0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION\n"
              "  P1 0x2000: executable pool requested \\(expected NonPagedPoolNx\\)\n"
              "  P2 code address of the request: 0x1234\n"
              "  P3 pool type: 0x0\n"
              "  P4 pool tag: 0x31676154 'Tag1'\n"
              "  caller: 0x[0-9a-f]+ \\(.*runtime_bugcheck_test");
}

TEST_F(BugCheckDeath, UnknownCodesShowRawParameters) {
  EXPECT_EXIT(KeBugCheckEx(0x1E, 1, 2, 3, 4), ::testing::KilledBySignal(SIGABRT),
              "KeBugCheckEx 0x0000001E bug check\n  P1: 0x1\n  P2: 0x2\n  P3: 0x3\n  P4: 0x4\n");
}

TEST_F(BugCheckDeath, RaiseWithoutHandlerAborts) {
  EXPECT_EXIT(ExAllocatePoolWithQuotaTag(NonPagedPoolNx, SIZE_MAX / 2, k_tag),
              ::testing::KilledBySignal(SIGABRT),
              "ExRaiseStatus 0xC000009A STATUS_INSUFFICIENT_RESOURCES\n  caller: ");
}

// ---- handlers -------------------------------------------------------------

struct Check {
  ULONG code;
  ULONG_PTR p[4];
};
std::vector<Check> g_checks;
void record(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  g_checks.push_back(Check{code, {p1, p2, p3, p4}});
}

class BugCheckHandler : public ::testing::Test {
 protected:
  void SetUp() override {
    g_checks.clear();
    nxpool_set_bugcheck_handler(record);
  }
  void TearDown() override { EXPECT_EQ(nxpool_set_bugcheck_handler(nullptr), record); }
};

TEST_F(BugCheckHandler, WrongTagFreeIsIgnoredAndTheBlockStaysLive) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
  ExFreePoolWithTag(p, k_other);
  ASSERT_EQ(g_checks.size(), 1u);
  EXPECT_EQ(g_checks[0].code, 0xC2u);
  EXPECT_EQ(g_checks[0].p[0], 0x0Au);
  EXPECT_EQ(g_checks[0].p[1], reinterpret_cast<ULONG_PTR>(p));
  EXPECT_EQ(g_checks[0].p[2], k_tag);
  EXPECT_EQ(g_checks[0].p[3], k_other);
  EXPECT_EQ(nxpool_is_executable(p), 0) << "the block must still be live";
  ExFreePoolWithTag(p, k_tag);
  EXPECT_EQ(g_checks.size(), 1u);
  EXPECT_EQ(nxpool_is_executable(p), -1);
}

TEST_F(BugCheckHandler, ZeroTagAllocationReturnsNull) {
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPool, 16, 0), nullptr);
  EXPECT_EQ(ExAllocatePoolWithQuotaTag(PagedPool, 16, 0), nullptr);
  EXPECT_EQ(ExAllocatePoolWithTagPriority(NonPagedPoolNx, 16, 0, NormalPoolPriority), nullptr);
  ASSERT_EQ(g_checks.size(), 3u);
  for (const Check &c : g_checks) {
    EXPECT_EQ(c.code, 0xC2u);
    EXPECT_EQ(c.p[0], 0x9Bu);
    EXPECT_EQ(c.p[2], 16u);
  }
  EXPECT_EQ(g_checks[1].p[1], 1u) << "P2 is the pool type";
}

TEST_F(BugCheckHandler, DoubleFreeAndForeignFreeAreReportedNeverAccepted) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
  ExFreePoolWithTag(p, k_tag);
  ExFreePoolWithTag(p, k_tag);
  void *heap = std::malloc(32);
  auto heap_address = reinterpret_cast<ULONG_PTR>(heap);
  ExFreePool(heap);
  std::free(heap);
  ExFreePool(nullptr);
  char *big = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 100000, k_tag));
  ExFreePool(big + 16);  // interior of a large block
  char *small = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag));
  ExFreePool(small + 16);  // interior of a small block
  ASSERT_EQ(g_checks.size(), 5u);
  EXPECT_EQ(g_checks[0].p[0], 0x07u);
  EXPECT_EQ(g_checks[0].p[3], reinterpret_cast<ULONG_PTR>(p));
  for (int i = 1; i < 5; ++i) EXPECT_EQ(g_checks[i].p[0], 0x46u) << i;
  EXPECT_EQ(g_checks[1].p[1], heap_address);
  EXPECT_EQ(nxpool_is_executable(big), 0) << "interior free must not free the block";
  EXPECT_EQ(nxpool_is_executable(small), 0);
  ExFreePool(big);
  ExFreePool(small);
  EXPECT_EQ(g_checks.size(), 5u);
}

// The inline free computes the block number from the span's copy of the
// class's reciprocal: every small class must still refuse an address inside
// a block, and an address in the slack at the end of a page (48-byte blocks
// leave 16 bytes per page), where the multiply-shift alone would name the
// next page's first block.
TEST_F(BugCheckHandler, InteriorAndPageSlackAddressesAreNoBlockStartInEverySmallClass) {
  constexpr ULONG tag = 0x6C6E4953;  // "SInl"
  std::size_t reported = 0;
  for (SIZE_T size = 32; size <= 4096; size += 16) {
    auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, size, tag));
    ASSERT_NE(p, nullptr);
    ExFreePoolWithTag(p + 16, tag);
    ASSERT_EQ(g_checks.size(), ++reported) << size;
    EXPECT_EQ(g_checks.back().p[0], 0x46u) << size;
    EXPECT_EQ(nxpool_is_executable(p), 0) << size << ": the block must stay live";
    ExFreePoolWithTag(p, tag);
    EXPECT_EQ(nxpool_is_executable(p), -1) << size;
  }
  // A 48-byte block that ends 16 bytes before a page boundary: the address
  // right after it is slack, not a block.
  std::vector<char *> blocks;
  char *last = nullptr;
  for (int i = 0; i < 200 && last == nullptr; ++i) {
    auto *p = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 48, tag));
    ASSERT_NE(p, nullptr);
    blocks.push_back(p);
    if (reinterpret_cast<std::uintptr_t>(p) % 4096 == 4096 - 48 - 16) last = p;
  }
  ASSERT_NE(last, nullptr) << "no 48-byte block at the end of a page";
  // Make the next page's first block live too: it is what a slack address
  // would be mistaken for.
  char *next_page = last + 48 + 16;
  for (int i = 0; i < 200 && std::find(blocks.begin(), blocks.end(), next_page) == blocks.end();
       ++i) {
    blocks.push_back(static_cast<char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 48, tag)));
  }
  ASSERT_NE(std::find(blocks.begin(), blocks.end(), next_page), blocks.end());
  ExFreePoolWithTag(last + 48, tag);
  ASSERT_EQ(g_checks.size(), ++reported);
  EXPECT_EQ(g_checks.back().p[0], 0x46u);
  EXPECT_EQ(g_checks.back().p[1], reinterpret_cast<ULONG_PTR>(last + 48));
  for (char *p : blocks) {
    EXPECT_EQ(nxpool_is_executable(p), 0) << "no block was freed by the slack address";
    ExFreePoolWithTag(p, tag);
  }
  EXPECT_EQ(g_checks.size(), reported);
}

TEST_F(BugCheckHandler, DirectCallReturnsAfterTheHandler) {
  KeBugCheckEx(0xC4, 0x2001, 5, 0x40, 0);
  ASSERT_EQ(g_checks.size(), 1u);
  EXPECT_EQ(g_checks[0].code, 0xC4u);
  EXPECT_EQ(g_checks[0].p[2], 0x40u);
}

TEST_F(BugCheckHandler, MustSucceedReturnsNull) {
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPoolCacheAlignedMustS, 10, k_tag), nullptr);
  ASSERT_EQ(g_checks.size(), 1u);
  EXPECT_EQ(g_checks[0].p[0], 0x9Au);
  EXPECT_EQ(g_checks[0].p[1], 6u);
}

std::vector<NTSTATUS> g_raises;
void record_raise(NTSTATUS s) { g_raises.push_back(s); }

TEST(RaiseHandler, DirectRaiseReturnsAfterTheHandlerAndNullRestoresDefault) {
  EXPECT_EQ(nxpool_set_raise_handler(record_raise), nullptr);
  ExRaiseStatus(STATUS_ACCESS_VIOLATION);
  ASSERT_EQ(g_raises.size(), 1u);
  EXPECT_EQ(g_raises[0], STATUS_ACCESS_VIOLATION);
  EXPECT_EQ(nxpool_set_raise_handler(nullptr), record_raise);
  EXPECT_EQ(nxpool_set_raise_handler(nullptr), nullptr);
}

}  // namespace
