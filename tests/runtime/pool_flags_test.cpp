// ExAllocatePool2/3 and the quota/raise rules (spec nx-pool-system.md 3.3,
// 3.4; issue 3 items 1-2): exactly one pool kind, tag 0 rejected, unknown
// required bits rejected and optional ones ignored, zeroed unless
// POOL_FLAG_UNINITIALIZED, POOL_FLAG_RAISE_ON_FAILURE, cache alignment, the
// extended parameters, and the quota allocators raising by default.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr ULONG k_tag = 0x326C6F50;  // "Pol2"

std::vector<NTSTATUS> g_raised;
void record_raise(NTSTATUS s) { g_raised.push_back(s); }

// Installs a raise handler that records and returns, for one test.
class RaiseRecorder : public ::testing::Test {
 protected:
  void SetUp() override {
    g_raised.clear();
    previous_ = nxpool_set_raise_handler(record_raise);
  }
  void TearDown() override { nxpool_set_raise_handler(previous_); }
  nxpool_raise_handler previous_ = nullptr;
};

using Pool2 = RaiseRecorder;

TEST_F(Pool2, EachKindFlagSelectsItsPages) {
  struct { POOL_FLAGS flags; int executable; } cases[] = {
      {POOL_FLAG_NON_PAGED, 0},
      {POOL_FLAG_NON_PAGED_EXECUTE, 1},
#if defined(__x86_64__) || defined(__aarch64__)
      {POOL_FLAG_PAGED, 0},
#endif
  };
  for (auto &c : cases) {
    void *p = ExAllocatePool2(c.flags, 64, k_tag);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(nxpool_is_executable(p), c.executable) << c.flags;
    ExFreePoolWithTag(p, k_tag);
  }
}

TEST_F(Pool2, NeedsExactlyOnePoolKind) {
  // The classic bad migration: the POOL_TYPE value passed as flags.
  EXPECT_EQ(ExAllocatePool2(0 /* NonPagedPool */, 64, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_USE_QUOTA /* PagedPool = 1 */, 64, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 64, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE, 64, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED, 64, k_tag), nullptr);
  EXPECT_TRUE(g_raised.empty()) << "no raise without POOL_FLAG_RAISE_ON_FAILURE";
}

TEST_F(Pool2, TagZeroIsRejected) {
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0), nullptr);
}

TEST_F(Pool2, UnknownRequiredBitsFailAndOptionalBitsAreIgnored) {
  for (POOL_FLAGS bad : {POOL_FLAG_RESERVED1, POOL_FLAG_RESERVED2, POOL_FLAG_RESERVED3,
                         POOL_FLAG_SESSION, POOL_FLAG_REQUIRED_END, 0x800ULL, 0x10000ULL}) {
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | bad, 64, k_tag), nullptr) << bad;
  }
  for (POOL_FLAGS optional : {POOL_FLAG_SPECIAL_POOL, POOL_FLAG_OPTIONAL_END, 0x200000000ULL}) {
    void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED | optional, 64, k_tag);
    EXPECT_NE(p, nullptr) << optional;
    ExFreePool(p);
  }
  void *q = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 64, k_tag);
  EXPECT_NE(q, nullptr) << "USE_QUOTA is a known required flag";
  ExFreePool(q);
}

TEST_F(Pool2, ZeroedUnlessUninitialized) {
  void *dirty = ExAllocatePool2(POOL_FLAG_NON_PAGED, 96, k_tag);
  std::memset(dirty, 0xEE, 96);
  ExFreePool(dirty);
  auto *zeroed = static_cast<unsigned char *>(ExAllocatePool2(POOL_FLAG_NON_PAGED, 96, k_tag));
  ASSERT_EQ(static_cast<void *>(zeroed), dirty) << "expected the recycled block";
  for (int i = 0; i < 96; ++i) ASSERT_EQ(zeroed[i], 0) << i;
  std::memset(zeroed, 0xEE, 96);
  ExFreePool(zeroed);
  auto *raw = static_cast<unsigned char *>(
      ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 96, k_tag));
  ASSERT_EQ(static_cast<void *>(raw), dirty);
  EXPECT_EQ(raw[50], 0xEE) << "UNINITIALIZED skips the zeroing";
  ExFreePool(raw);
}

TEST_F(Pool2, CacheAlignedFlagAlignsTo64) {
  for (SIZE_T size : {1u, 24u, 100u, 700u}) {
    void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, size, k_tag);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 64, 0u) << size;
    ExFreePool(p);
  }
}

TEST_F(Pool2, RaiseOnFailureRaisesInsteadOfReturningNull) {
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 64, 0), nullptr);
  ASSERT_EQ(g_raised.size(), 1u);
  EXPECT_EQ(g_raised[0], STATUS_INVALID_PARAMETER);
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, SIZE_MAX / 2, k_tag),
            nullptr);
  ASSERT_EQ(g_raised.size(), 2u);
  EXPECT_EQ(g_raised[1], STATUS_INSUFFICIENT_RESOURCES);
}

TEST_F(Pool2, ExhaustionReturnsNullWithoutTheRaiseFlag) {
  EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, SIZE_MAX / 2, k_tag), nullptr);
  EXPECT_TRUE(g_raised.empty());
}

using Pool3 = RaiseRecorder;

POOL_EXTENDED_PARAMETER param(POOL_EXTENDED_PARAMETER_TYPE type, ULONG64 value, bool optional) {
  POOL_EXTENDED_PARAMETER p;
  std::memset(&p, 0, sizeof p);
  p.Type = type;
  p.Optional = optional ? 1 : 0;
  p.Reserved2 = value;
  return p;
}

TEST_F(Pool3, PriorityParameterIsAccepted) {
  POOL_EXTENDED_PARAMETER p = param(PoolExtendedParameterPriority, HighPoolPriority, false);
  void *b = ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, &p, 1);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(nxpool_is_executable(b), 0);
  ExFreePool2(b, k_tag, nullptr, 0);
}

TEST_F(Pool3, BadExtendedParametersFail) {
  POOL_EXTENDED_PARAMETER bad_priority = param(PoolExtendedParameterPriority, 7, false);
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, &bad_priority, 1), nullptr);
  POOL_EXTENDED_PARAMETER invalid = param(PoolExtendedParameterInvalidType, 0, false);
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, &invalid, 1), nullptr);
  POOL_EXTENDED_PARAMETER twice[2] = {param(PoolExtendedParameterPriority, LowPoolPriority, false),
                                      param(PoolExtendedParameterPriority, LowPoolPriority, false)};
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, twice, 2), nullptr);
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, nullptr, 1), nullptr);
  POOL_EXTENDED_PARAMETER secure = param(PoolExtendedParameterSecurePool, 0, false);
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, k_tag, &secure, 1), nullptr);
}

TEST_F(Pool3, OptionalUnsupportedParametersAreIgnored) {
  POOL_EXTENDED_PARAMETER secure = param(PoolExtendedParameterSecurePool, 0, true);
  void *b = ExAllocatePool3(POOL_FLAG_NON_PAGED_EXECUTE, 64, k_tag, &secure, 1);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(nxpool_is_executable(b), 1);
  ExFreePool(b);
}

TEST_F(Pool3, SameFlagRulesAsPool2) {
  EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, 0, nullptr, 0), nullptr);
  EXPECT_EQ(ExAllocatePool3(0, 64, k_tag, nullptr, 0), nullptr);
  auto *z = static_cast<unsigned char *>(ExAllocatePool3(POOL_FLAG_PAGED, 64, k_tag, nullptr, 0));
  ASSERT_NE(z, nullptr);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(z[i], 0);
  ExFreePool(z);
}

// Spec 3.3: quota allocators raise by default, fail quietly with
// POOL_QUOTA_FAIL_INSTEAD_OF_RAISE; WithTag raises only when asked.
using Quota = RaiseRecorder;

TEST_F(Quota, QuotaAllocatorsRaiseByDefault) {
  EXPECT_EQ(ExAllocatePoolWithQuotaTag(NonPagedPoolNx, SIZE_MAX / 2, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePoolWithQuota(PagedPool, SIZE_MAX / 2), nullptr);
  ASSERT_EQ(g_raised.size(), 2u);
  EXPECT_EQ(g_raised[0], STATUS_INSUFFICIENT_RESOURCES);
}

TEST_F(Quota, FailInsteadOfRaiseReturnsNull) {
  auto type = static_cast<POOL_TYPE>(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
  EXPECT_EQ(ExAllocatePoolWithQuotaTag(type, SIZE_MAX / 2, k_tag), nullptr);
  EXPECT_TRUE(g_raised.empty());
  void *ok = ExAllocatePoolWithQuotaTag(type, 64, k_tag);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(nxpool_is_executable(ok), 0);
  ExFreePoolWithTag(ok, k_tag);
}

TEST_F(Quota, WithTagRaisesOnlyWithRaiseIfAllocationFailure) {
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPoolNx, SIZE_MAX / 2, k_tag), nullptr);
  EXPECT_TRUE(g_raised.empty());
  auto type = static_cast<POOL_TYPE>(NonPagedPoolNx | POOL_RAISE_IF_ALLOCATION_FAILURE);
  EXPECT_EQ(ExAllocatePoolWithTag(type, SIZE_MAX / 2, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePoolWithTagPriority(type, SIZE_MAX / 2, k_tag, LowPoolPriority), nullptr);
  EXPECT_EQ(g_raised.size(), 2u);
}

TEST_F(Quota, QuotaZeroWrapperZeroes) {
  auto *p = static_cast<unsigned char *>(ExAllocatePoolQuotaZero(PagedPool, 300, k_tag));
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(p[i], 0);
  ExFreePoolWithTag(p, k_tag);
  void *u = ExAllocatePoolQuotaUninitialized(PagedPool, 30, k_tag);
  ASSERT_NE(u, nullptr);
  ExFreePoolWithTag(u, k_tag);
  void *v = ExAllocatePoolPriorityUninitialized(NonPagedPoolNx, 30, k_tag, LowPoolPriority);
  ASSERT_NE(v, nullptr);
  ExFreePoolWithTag(v, k_tag);
}

// A C++ program may turn raises into exceptions; the pool stays usable.
struct Raised {
  NTSTATUS status;
};
void throwing_raise(NTSTATUS s) { throw Raised{s}; }

TEST(RaiseHandler, MayThrowThroughTheAllocator) {
  nxpool_raise_handler old = nxpool_set_raise_handler(throwing_raise);
  bool caught = false;
  try {
    ExAllocatePoolWithQuotaTag(NonPagedPoolNx, SIZE_MAX / 2, k_tag);
  } catch (const Raised &r) {
    caught = r.status == STATUS_INSUFFICIENT_RESOURCES;
  }
  EXPECT_TRUE(caught);
  EXPECT_EQ(nxpool_set_raise_handler(old), throwing_raise) << "setter returns the previous one";
  void *p = ExAllocatePoolWithQuotaTag(NonPagedPoolNx, 64, k_tag);
  ASSERT_NE(p, nullptr);
  ExFreePoolWithTag(p, k_tag);
}

}  // namespace
