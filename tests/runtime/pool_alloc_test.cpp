// The legacy allocators and their guarantees (spec nx-pool-system.md 3.1-3.3,
// 3.5; issue 3 item 1): pool kind per POOL_TYPE, alignment, zeroing through
// POOL_ZERO_ALLOCATION, tags, large blocks going back to the system, and
// nxpool_is_executable on arbitrary pointers (issue 2 item 3).
#include <nxpool/wdm.h>

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr ULONG k_tag = 0x74736554;  // "Test"

std::uintptr_t addr(const void *p) { return reinterpret_cast<std::uintptr_t>(p); }

// Spec 3.1: executability per POOL_TYPE value (x86-64/AArch64 host).
struct TypeCase {
  ULONG type;
  int executable;
};

TEST(PoolTypes, EachTypeComesFromTheRightKindOfPage) {
  const TypeCase cases[] = {
      {0, 1},      // NonPagedPool / NonPagedPoolExecute
      {4, 1},      // NonPagedPoolCacheAligned
      {512, 0},    // NonPagedPoolNx
      {516, 0},    // NonPagedPoolNxCacheAligned
      {32, 1},     // NonPagedPoolSession (NX bit clear)
      {544, 0},    // NonPagedPoolSessionNx
#if defined(__x86_64__) || defined(__aarch64__)
      {1, 0},      // PagedPool: not executable on 64-bit hosts
      {5, 0},      // PagedPoolCacheAligned
      {33, 0},     // PagedPoolSession
#endif
      {0 | 256, 1},  // POOL_COLD_ALLOCATION is only a hint
  };
  for (const TypeCase &c : cases) {
    void *p = ExAllocatePoolWithTag(static_cast<POOL_TYPE>(c.type), 100, k_tag);
    ASSERT_NE(p, nullptr) << "type " << c.type;
    EXPECT_EQ(nxpool_is_executable(p), c.executable) << "type " << c.type;
    ExFreePoolWithTag(p, k_tag);
  }
}

TEST(PoolTypes, EnumeratorsHaveTheWdkValues) {
  EXPECT_EQ(NonPagedPool, 0);
  EXPECT_EQ(NonPagedPoolExecute, 0);
  EXPECT_EQ(NonPagedPoolNx, 512);
  EXPECT_EQ(POOL_ZERO_ALLOCATION, 1024);
}

TEST(PoolTypes, UnknownTypeBitsFail) {
  EXPECT_EQ(ExAllocatePoolWithTag(static_cast<POOL_TYPE>(0x40), 16, k_tag), nullptr);
  EXPECT_EQ(ExAllocatePoolWithTag(static_cast<POOL_TYPE>(0x10000), 16, k_tag), nullptr);
}

// Spec 3.3 alignment: 16 bytes below a page, page-aligned at a page and
// above, and a block of at most a page never crosses a page.
TEST(Alignment, SmallBlocksAre16ByteAlignedAndStayInOnePage) {
  std::vector<void *> blocks;
  for (SIZE_T size = 1; size <= 4096; size += (size < 300 ? 1 : 37)) {
    for (int i = 0; i < 3; ++i) {
      void *p = ExAllocatePoolWithTag(NonPagedPoolNx, size, k_tag);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(addr(p) % 16, 0u) << size;
      EXPECT_EQ(addr(p) / 4096, (addr(p) + size - 1) / 4096) << "crosses a page: " << size;
      if (size == 4096) {
        EXPECT_EQ(addr(p) % 4096, 0u);
      }
      blocks.push_back(p);
    }
  }
  for (void *p : blocks) ExFreePoolWithTag(p, k_tag);
}

TEST(Alignment, PageAndLargerAreRequestsPageAligned) {
  for (SIZE_T size : {4096u, 4097u, 8192u, 10000u, 65536u, 65537u, 300000u, 2u << 20}) {
    void *p = ExAllocatePoolWithTag(NonPagedPool, size, k_tag);
    ASSERT_NE(p, nullptr) << size;
    EXPECT_EQ(addr(p) % 4096, 0u) << size;
    std::memset(p, 0xAB, size);  // the whole request is usable
    ExFreePoolWithTag(p, k_tag);
  }
}

TEST(Alignment, CacheAlignedTypesAre64ByteAligned) {
  for (ULONG type : {4u, 516u, 5u}) {
    for (SIZE_T size : {1u, 17u, 65u, 200u, 1000u}) {
      void *p = ExAllocatePoolWithTag(static_cast<POOL_TYPE>(type), size, k_tag);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(addr(p) % 64, 0u) << type << "/" << size;
      ExFreePoolWithTag(p, k_tag);
    }
  }
}

// Spec 3.5: the ...Zero wrappers OR in POOL_ZERO_ALLOCATION and the runtime
// must honour it even for a recycled block.
TEST(Zeroing, ZeroWrappersClearRecycledBlocks) {
  for (int round = 0; round < 2; ++round) {
    void *dirty = ExAllocatePoolWithTag(NonPagedPoolNx, 200, k_tag);
    std::memset(dirty, 0x5A, 200);
    ExFreePoolWithTag(dirty, k_tag);
    auto *p = static_cast<unsigned char *>(
        round == 0 ? ExAllocatePoolZero(NonPagedPoolNx, 200, k_tag)
                   : ExAllocatePoolPriorityZero(NonPagedPoolNx, 200, k_tag, NormalPoolPriority));
    ASSERT_EQ(static_cast<void *>(p), dirty) << "expected the same block back (LIFO cache)";
    for (int i = 0; i < 200; ++i) ASSERT_EQ(p[i], 0) << i;
    ExFreePoolWithTag(p, k_tag);
  }
}

TEST(Zeroing, LegacyAllocatorsDoNotZero) {
  // Uninitialised is the documented contract; show the runtime does not pay
  // for zeroing it was not asked for (the recycled block keeps its bytes).
  void *dirty = ExAllocatePoolWithTag(NonPagedPoolNx, 48, k_tag);
  std::memset(dirty, 0x5A, 48);
  ExFreePoolWithTag(dirty, k_tag);
  auto *p = static_cast<unsigned char *>(ExAllocatePoolUninitialized(NonPagedPoolNx, 48, k_tag));
  ASSERT_EQ(static_cast<void *>(p), dirty);
  EXPECT_EQ(p[40], 0x5A);
  ExFreePoolWithTag(p, k_tag);
}

TEST(Tags, UntaggedAllocatorsRecordNone) {
  void *a = ExAllocatePool(NonPagedPoolNx, 10);
  ASSERT_NE(a, nullptr);
  ExFreePoolWithTag(a, 0x656E6F4E);  // 'None' matches: no bug check
  void *b = ExAllocatePoolWithQuota(NonPagedPoolNx, 10);
  ASSERT_NE(b, nullptr);
  ExFreePool(b);
}

TEST(Tags, AllocatorsAcceptEveryNonZeroTag) {
  for (ULONG tag : {1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu}) {
    void *p = ExAllocatePoolWithTagPriority(PagedPool, 8, tag, HighPoolPriority);
    ASSERT_NE(p, nullptr);
    ExFreePoolWithTag(p, tag);
  }
}

TEST(ZeroBytes, AZeroByteRequestGetsAFreeableBlock) {
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 0, k_tag);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(nxpool_is_executable(p), 0);
  ExFreePoolWithTag(p, k_tag);
  EXPECT_EQ(nxpool_is_executable(p), -1);
}

// Issue 3 item 5: memory is returned to the OS when large blocks are freed.
TEST(LargeBlocks, FreeUnmapsThePages) {
  const SIZE_T size = 1u << 20;
  void *p = ExAllocatePoolWithTag(NonPagedPoolNx, size, k_tag);
  ASSERT_NE(p, nullptr);
  unsigned char vec[256];
  EXPECT_EQ(mincore(p, size, vec), 0);
  ExFreePoolWithTag(p, k_tag);
  errno = 0;
  EXPECT_EQ(mincore(p, size, vec), -1);
  EXPECT_EQ(errno, ENOMEM) << "the range should no longer be mapped";
}

// Issue 2 item 3: -1 for anything that is not a live pool block, never a crash.
TEST(IsExecutable, AnswersForAnyPointer) {
  int on_stack = 0;
  void *heap = std::malloc(64);
  EXPECT_EQ(nxpool_is_executable(nullptr), -1);
  EXPECT_EQ(nxpool_is_executable(&on_stack), -1);
  EXPECT_EQ(nxpool_is_executable(heap), -1);
  EXPECT_EQ(nxpool_is_executable(reinterpret_cast<void *>(0x1000)), -1);
  EXPECT_EQ(nxpool_is_executable(reinterpret_cast<void *>(~std::uintptr_t{0})), -1);
  EXPECT_EQ(nxpool_is_executable(reinterpret_cast<void *>(&std::free)), -1);
  std::free(heap);
}

TEST(IsExecutable, CoversTheRequestedBytesOnlyWhileLive) {
  auto *small = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPool, 40, k_tag));
  auto *large = static_cast<char *>(ExAllocatePoolWithTag(NonPagedPool, 200000, k_tag));
  EXPECT_EQ(nxpool_is_executable(small + 39), 1);
  EXPECT_EQ(nxpool_is_executable(small + 40), -1) << "slack after the request";
  EXPECT_EQ(nxpool_is_executable(large + 199999), 1);
  EXPECT_EQ(nxpool_is_executable(large + 200000), -1);
  ExFreePoolWithTag(small, k_tag);
  ExFreePoolWithTag(large, k_tag);
  EXPECT_EQ(nxpool_is_executable(small), -1);
  EXPECT_EQ(nxpool_is_executable(large), -1);
}

TEST(Reuse, FreedBlocksAreReusedNotLeaked) {
  void *first = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  ExFreePoolWithTag(first, k_tag);
  void *second = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);
  EXPECT_EQ(first, second);
  ExFreePoolWithTag(second, k_tag);
}

}  // namespace
