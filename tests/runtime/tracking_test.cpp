// Issue 13: pool tracking (verifier option 0x8: nxpool_report_leaks,
// nxpool_verify_unload = 0xC4/0x62 with the count in P4), the low resources
// simulation (0x4: seeded, same seed = same failures, warm-up, one tag,
// raising variants raise), the automatic checks that run with any option on
// (zero bytes 0xC4/0x00, tag "BIG" 0xC2/0x9C, a tag with no letter or digit
// 0xC2/0x9D), and POOL_TYPE values outside the enumeration read as integers.
// Bug checks that abort are death tests (child process; signal and text).
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nxpool/wdm.h>

// Exported (the test links with ENABLE_EXPORTS), so dladdr can name it.
extern "C" [[gnu::noinline]] void *driver_alloc_site(SIZE_T bytes) {
  void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, 0x6B617254);
  asm volatile("" ::: "memory");  // no tail call: the return address stays in here
  return p;
}

#include "bugcheck_recorder.h"

namespace {

constexpr ULONG k_tag = 0x6B617254;    // "Trak"
constexpr ULONG k_other = 0x72687442;  // "Bthr"

using nxpool_test::g_seen;
using nxpool_test::record;

// Runs one test with the given verifier options and a recording handler.
class WithVerifier : public ::testing::Test {
 protected:
  void use(ULONG flags) { nxpool_set_verifier_flags(flags); }
  void SetUp() override {
    g_seen = {};
    flags_ = nxpool_set_verifier_flags(0);
    handler_ = nxpool_set_bugcheck_handler(record);
  }
  void TearDown() override {
    nxpool_set_bugcheck_handler(handler_);
    nxpool_set_verifier_flags(flags_);
  }
  ULONG flags_ = 0;
  nxpool_bugcheck_handler handler_ = nullptr;
};

std::string leaks_text() {
  char *buf = nullptr;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  nxpool_report_leaks(out);
  std::fclose(out);
  std::string text(buf, len);
  std::free(buf);
  return text;
}


using Tracking = WithVerifier;

TEST_F(Tracking, ReportsWhatIsOutstandingWithTagSizeKindAndCaller) {
  use(NXPOOL_VERIFIER_POOL_TRACKING);
  EXPECT_EQ(nxpool_report_leaks(stderr), 0u);
  void *a = driver_alloc_site(48);
  void *b = ExAllocatePoolWithTag(PagedPool, 100, k_other);
  void *c = ExAllocatePoolWithTag(NonPagedPoolNx, 8, k_tag);
  ExFreePoolWithTag(c, k_tag);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::string text = leaks_text();
  EXPECT_NE(text.find("2 pool allocations outstanding, 148 bytes:\n"), std::string::npos) << text;
  EXPECT_NE(text.find("'Trak' 48 bytes nx at"), std::string::npos) << text;
  EXPECT_NE(text.find("'Bthr' 100 bytes paged at"), std::string::npos) << text;
  EXPECT_EQ(text.find(" 8 bytes"), std::string::npos) << text;  // freed
  EXPECT_NE(text.find("driver_alloc_site"), std::string::npos) << text;  // dladdr names the caller
  EXPECT_EQ(nxpool_verify_unload(), 2u);
  EXPECT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x62u);
  EXPECT_EQ(g_seen.p3, 148u);
  EXPECT_EQ(g_seen.p4, 2u);
  ExFreePool(a);
  ExFreePoolWithTag(b, k_other);
  EXPECT_EQ(nxpool_verify_unload(), 0u);
  EXPECT_EQ(g_seen.count, 1);
}

TEST_F(Tracking, BlocksFromBeforeTrackingAreNotReported) {
  void *before = ExAllocatePoolWithTag(NonPagedPoolNx, 16, k_tag);
  use(NXPOOL_VERIFIER_POOL_TRACKING);
  EXPECT_EQ(nxpool_report_leaks(stderr), 0u);
  ExFreePoolWithTag(before, k_tag);
  EXPECT_EQ(g_seen.count, 0);
}

TEST(TrackingDeath, UnloadWithOutstandingAllocationsIs0xC4_0x62) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
        ExAllocatePool2(POOL_FLAG_PAGED, 24, k_tag);
        ExAllocatePool2(POOL_FLAG_PAGED, 24, k_tag);
        nxpool_verify_unload();
      },
      ::testing::KilledBySignal(SIGABRT),
      "2 pool allocations outstanding, 48 bytes:\n  'Trak' 24 bytes paged at .*"
      "KeBugCheckEx 0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION\n"
      "  P1 0x62: a driver unloaded without freeing its pool allocations\n"
      ".*P4 number of outstanding allocations: 0x2\n");
}

// Run alone by the runtime.leak_report_at_exit ctest (the report comes at exit).
TEST(ExitReport, LeavesOneBlock) {
  if (std::getenv("NXPOOL_REPORT_LEAKS") == nullptr) GTEST_SKIP() << "run by ctest with the variable";
  EXPECT_NE(ExAllocatePool2(POOL_FLAG_PAGED, 40, 0x74697845 /* "Exit" */), nullptr);
}

using LowResources = WithVerifier;

std::vector<bool> failure_pattern(uint64_t seed, int n) {
  nxpool_set_low_resources(200000, 4, seed, 0);  // 20 %, after 4
  std::vector<bool> failed;
  for (int i = 0; i < n; ++i) {
    void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
    failed.push_back(p == nullptr);
    if (p != nullptr) ExFreePoolWithTag(p, k_tag);
  }
  return failed;
}

TEST_F(LowResources, SameSeedFailsTheSameCalls) {
  use(NXPOOL_VERIFIER_LOW_RESOURCES);
  const uint64_t before = nxpool_injected_failures();
  std::vector<bool> first = failure_pattern(42, 400);
  std::vector<bool> again = failure_pattern(42, 400);
  std::vector<bool> other = failure_pattern(43, 400);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(first[i]) << "warm-up call " << i;
  int failures = 0;
  for (bool f : first) failures += f;
  EXPECT_GT(failures, 40);  // 20 % of 396, far from both ends
  EXPECT_LT(failures, 120);
  int total = failures;
  for (bool f : again) total += f;
  for (bool f : other) total += f;
  EXPECT_EQ(nxpool_injected_failures() - before, static_cast<uint64_t>(total));
}

TEST_F(LowResources, OnlyTheChosenTagAndRaisingVariantsRaise) {
  use(NXPOOL_VERIFIER_LOW_RESOURCES);
  nxpool_set_low_resources(1000000, 0, 1, k_other);  // every call for "Bthr"
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
  EXPECT_NE(p, nullptr);
  ExFreePoolWithTag(p, k_tag);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, k_other), nullptr);
  static NTSTATUS raised;
  raised = 0;
  nxpool_raise_handler old = nxpool_set_raise_handler([](NTSTATUS s) { raised = s; });
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 32, k_other),
            nullptr);
  EXPECT_EQ(raised, STATUS_INSUFFICIENT_RESOURCES);
  raised = 0;
  EXPECT_EQ(ExAllocatePoolWithQuotaTag(NonPagedPoolNx, 32, k_other), nullptr);  // quota raises
  EXPECT_EQ(raised, STATUS_INSUFFICIENT_RESOURCES);
  nxpool_set_raise_handler(old);
  EXPECT_EQ(g_seen.count, 0);
}

using AutomaticChecks = WithVerifier;

TEST_F(AutomaticChecks, ZeroBytesIs0xC4_0x00WithAnyOptionOn) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 0, k_tag);  // off: served
  EXPECT_NE(p, nullptr);
  ExFreePoolWithTag(p, k_tag);
  use(NXPOOL_VERIFIER_POOL_TRACKING);
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPoolNx, 0, k_tag), nullptr);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x00u);
  EXPECT_EQ(g_seen.p3, 512u);  // pool type
  EXPECT_EQ(g_seen.p4, 0u);    // bytes
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_PAGED, 0, k_tag), nullptr);
  EXPECT_EQ(g_seen.count, 2);
  EXPECT_EQ(g_seen.p3, POOL_FLAG_PAGED);
}

TEST_F(AutomaticChecks, TagsWithNoLetterOrDigitAndTheReservedTag) {
  use(NXPOOL_VERIFIER_POOL_TRACKING);
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPoolNx, 16, 0x2D2D2D2D /* "----" */), nullptr);
  EXPECT_EQ(g_seen.code, 0xC2u);
  EXPECT_EQ(g_seen.p1, 0x9Du);
  EXPECT_EQ(g_seen.p2, 0x2D2D2D2Du);
  EXPECT_EQ(g_seen.p3, 512u);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x20474942 /* "BIG " */), nullptr);
  EXPECT_EQ(g_seen.p1, 0x9Cu);
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, 0x2D2D2D41 /* "A---" */);
  EXPECT_NE(p, nullptr);
  EXPECT_EQ(g_seen.count, 2);
  ExFreePool(p);
}

TEST(AutomaticChecksDeath, ZeroBytesAborts) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_LOW_RESOURCES);
        nxpool_set_low_resources(0, 0, 0, 0);
        ExAllocatePoolWithTag(PagedPool, 0, k_tag);
      },
      ::testing::KilledBySignal(SIGABRT),
      "DRIVER_VERIFIER_DETECTED_VIOLATION\n  P1 0x00: a request for zero bytes\n");
}

TEST(AutomaticChecksDeath, TagWithoutLetterOrDigitAborts) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
        ExAllocatePoolWithTag(PagedPool, 8, 0x01020304);
      },
      ::testing::KilledBySignal(SIGABRT),
      "BAD_POOL_CALLER\n  P1 0x9D: an allocation whose tag has no letter or digit\n");
}

// UBSan (-fsanitize=enum) reported these values being loaded as POOL_TYPE;
// they must be read as integers and fail as unknown bits.
TEST(PoolTypeBits, ValuesOutsideTheEnumerationFailCleanly) {
  for (ULONG v : {2048u, 65536u}) {  // no such bits
    EXPECT_EQ(ExAllocatePoolWithTag(static_cast<POOL_TYPE>(v), 16, k_tag), nullptr) << v;
  }
  for (ULONG v : {1536u /* NX | zero */, 1025u /* paged | zero */}) {
    auto *p = static_cast<unsigned char *>(
        ExAllocatePoolWithTag(static_cast<POOL_TYPE>(v), 16, k_tag));
    ASSERT_NE(p, nullptr) << v;
    EXPECT_EQ(p[15], 0) << v;
    ExFreePoolWithTag(p, k_tag);
  }
}

}  // namespace
