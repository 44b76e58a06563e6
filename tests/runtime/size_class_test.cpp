// White-box checks of the size-class table (src/runtime/size_class.h):
// the geometry behind the alignment promises of spec section 3.3 - 16-byte
// alignment below a page, page alignment from a page up, and no block of at
// most a page crossing a page boundary.
#include "size_class.h"

#include <gtest/gtest.h>

namespace rt = nxpool::rt;

TEST(SizeClass, EveryRequestUpToASpanGetsAClassThatHoldsIt) {
  for (std::size_t bytes = 0; bytes <= rt::k_max_medium; ++bytes) {
    unsigned cls = rt::size_class_for(bytes, false);
    ASSERT_LT(cls, rt::k_class_count) << bytes;
    EXPECT_GE(rt::size_class(cls).block_size, bytes == 0 ? 1u : bytes);
    if (cls > 0) {
      EXPECT_LT(rt::size_class(cls - 1).block_size, bytes) << "not the smallest fit";
    }
  }
  EXPECT_EQ(rt::size_class_for(rt::k_max_medium + 1, false), rt::k_class_count);
}

TEST(SizeClass, BlocksAre16ByteAlignedAndNeverCrossAPage) {
  for (unsigned cls = 0; cls < rt::k_class_count; ++cls) {
    const rt::SizeClass &c = rt::size_class(cls);
    EXPECT_EQ(c.block_size % 16, 0u);
    for (std::uint32_t i = 0; i < c.blocks; ++i) {
      std::size_t off = rt::block_offset(c, i);
      ASSERT_LE(off + c.block_size, rt::k_span_size);
      EXPECT_EQ(off % 16, 0u);
      if (c.block_size <= 4096) {
        EXPECT_EQ(off / 4096, (off + c.block_size - 1) / 4096) << "class " << c.block_size;
      }
      if (c.block_size >= 4096) {
        EXPECT_EQ(off % 4096, 0u);
      }
    }
  }
}

TEST(SizeClass, BlockIndexInvertsBlockAddressAtEveryOffset) {
  for (unsigned cls = 0; cls < rt::k_class_count; ++cls) {
    const rt::SizeClass &c = rt::size_class(cls);
    std::vector<std::uint32_t> owner(rt::k_span_size, UINT32_MAX);
    for (std::uint32_t i = 0; i < c.blocks; ++i) {
      std::size_t off = rt::block_offset(c, i);
      for (std::uint32_t b = 0; b < c.block_size; ++b) owner[off + b] = i;
    }
    for (std::size_t off = 0; off < rt::k_span_size; ++off) {
      std::uint32_t inside = rt::block_index(c, off, false);
      ASSERT_EQ(inside, owner[off]) << "class " << c.block_size << " offset " << off;
      std::uint32_t exact = rt::block_index(c, off, true);
      bool starts = owner[off] != UINT32_MAX && (off == 0 || owner[off - 1] != owner[off]);
      ASSERT_EQ(exact, starts ? owner[off] : UINT32_MAX) << c.block_size << " " << off;
    }
  }
}

// The free fast path's slot test (page_slot, heap.h) agrees with the
// division at every offset within a page of every small class.
TEST(SizeClass, PageSlotIsExactAtEveryOffset) {
  for (unsigned cls = 0; cls < rt::k_class_count; ++cls) {
    const rt::SizeClass &c = rt::size_class(cls);
    if (c.per_page == 0) continue;
    for (std::uint32_t off = 0; off < 4096; ++off) {
      const std::uint64_t product = rt::page_slot_product(off, c.inverse);
      ASSERT_EQ(rt::page_slot(product), off / c.block_size) << c.block_size << " " << off;
      ASSERT_EQ(rt::page_slot_exact(product, c.inverse), off % c.block_size == 0)
          << c.block_size << " " << off;
    }
  }
}

TEST(SizeClass, CacheAlignedClassesAreMultiplesOfTheCacheLine) {
  for (std::size_t bytes : {1u, 16u, 65u, 200u, 600u, 1100u, 3000u, 5000u}) {
    unsigned cls = rt::size_class_for(bytes, true);
    ASSERT_LT(cls, rt::k_class_count);
    EXPECT_EQ(rt::size_class(cls).block_size % rt::k_cache_line, 0u) << bytes;
    EXPECT_GE(rt::size_class(cls).block_size, bytes);
  }
}
