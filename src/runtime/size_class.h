// Layer 2: size classes.
//
// A request is rounded up to one of a fixed set of block sizes. Small classes
// (at most a page) are carved page by page, so a block never straddles a
// 4 KiB page: the pool promises that for every request of a page or less.
// Every class is a multiple of 16 bytes, so small blocks are 16-byte aligned;
// the page-sized class and the medium classes (whole pages, up to one span)
// start on page boundaries. Anything larger than a span is a "large" block
// mapped on its own (large.h).
//
// Cache-aligned requests (NonPagedPoolCacheAligned, POOL_FLAG_CACHE_ALIGNED)
// pick the first class whose size is a multiple of the cache line: since
// pages start 64-byte aligned, every block of such a class is too.
//
// Tested by tests/runtime/size_class_test.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nxpool::rt {

inline constexpr std::size_t k_span_size = 64 * 1024;  // unit a class owns
inline constexpr std::size_t k_max_small = 4096;       // classes carved per page
inline constexpr std::size_t k_max_medium = k_span_size;
inline constexpr std::size_t k_cache_line = 64;
inline constexpr unsigned k_class_count = 38;
inline constexpr std::uint32_t k_max_blocks_per_span = k_span_size / 16;

struct SizeClass {
  std::uint32_t block_size;     // bytes per block
  std::uint32_t per_page;       // blocks per 4 KiB page (small), 0 for medium
  std::uint32_t blocks;         // blocks per span
  std::uint32_t inverse;        // ceil(2^32 / block_size): offset -> index
  std::uint32_t cache_limit;    // free blocks a thread keeps (heap.cpp)
};

namespace detail {

inline constexpr std::array<std::uint32_t, k_class_count> k_sizes = {
    // 16-byte steps for the sizes drivers use most,
    16, 32, 48, 64, 80, 96, 112, 128,
    // then four steps per doubling,
    160, 192, 224, 256, 320, 384, 448, 512,
    // then sizes chosen to pack 7, 6, 5, 4, 3, 2 and 1 blocks into a page,
    576, 672, 816, 1024, 1360, 2048, 4096,
    // then whole-page medium classes carved from one 64 KiB span. Above
    // 32 KiB a span holds one block; its untouched tail never becomes
    // resident, so 4 KiB steps keep the resident waste under a page.
    8192, 12288, 16384, 20480, 24576, 28672, 32768,
    36864, 40960, 45056, 49152, 53248, 57344, 61440, 65536};

constexpr SizeClass make_class(std::uint32_t size) {
  SizeClass c{};
  c.block_size = size;
  c.inverse = static_cast<std::uint32_t>(((std::uint64_t{1} << 32) + size - 1) / size);
  if (size <= k_max_small) {
    c.per_page = 4096 / size;
    c.blocks = c.per_page * static_cast<std::uint32_t>(k_span_size / 4096);
  } else {
    c.per_page = 0;
    c.blocks = static_cast<std::uint32_t>(k_span_size / size);
  }
  // About 128 KiB worth of blocks, at least 4 and at most 512.
  std::uint32_t limit = static_cast<std::uint32_t>((128 * 1024) / size);
  c.cache_limit = limit < 4 ? 4 : (limit > 512 ? 512 : limit);
  return c;
}

constexpr std::array<SizeClass, k_class_count> make_table() {
  std::array<SizeClass, k_class_count> t{};
  for (unsigned i = 0; i < k_class_count; ++i) t[i] = make_class(k_sizes[i]);
  return t;
}

// Direct lookup for requests up to 1 KiB, indexed by 16-byte granule.
constexpr std::array<std::uint8_t, 65> make_small_lookup() {
  std::array<std::uint8_t, 65> t{};
  unsigned cls = 0;
  for (unsigned g = 0; g <= 64; ++g) {
    std::uint32_t bytes = g == 0 ? 1 : g * 16;
    while (k_sizes[cls] < bytes) ++cls;
    t[g] = static_cast<std::uint8_t>(cls);
  }
  return t;
}

inline constexpr std::array<SizeClass, k_class_count> k_table = make_table();
inline constexpr std::array<std::uint8_t, 65> k_small_lookup = make_small_lookup();

unsigned size_class_for_slow(std::size_t bytes, bool cache_aligned);

}  // namespace detail

// The class table, ordered by block size.
inline const SizeClass &size_class(unsigned cls) { return detail::k_table[cls]; }

// Smallest class holding `bytes` (0 counts as 1). `cache_aligned` restricts to
// classes that are a multiple of k_cache_line. Returns k_class_count when the
// request is larger than k_max_medium (a large block).
inline unsigned size_class_for(std::size_t bytes, bool cache_aligned) {
  if (bytes <= 1024 && !cache_aligned) return detail::k_small_lookup[(bytes + 15) / 16];
  return detail::size_class_for_slow(bytes, cache_aligned);
}

// Offset of block `index` from the start of a span of class `c`.
inline std::size_t block_offset(const SizeClass &c, std::uint32_t index) {
  if (c.per_page == 0) return std::size_t{index} * c.block_size;
  std::uint32_t page = index / c.per_page;
  std::uint32_t slot = index - page * c.per_page;
  return std::size_t{page} * 4096 + std::size_t{slot} * c.block_size;
}

// Address of block `index` in a span of class `c` starting at `span`.
inline char *block_address(char *span, const SizeClass &c, std::uint32_t index) {
  return span + block_offset(c, index);
}

// Index of the block that starts exactly at `offset` bytes into a span, or
// UINT32_MAX when no block starts there (an interior or slack address).
// `exact == false` returns the block containing the offset instead.
// The free fast path's form of block_index for small classes (heap.h): one
// multiply of the offset within a page (below 4096) by the class's
// reciprocal gives the slot (high half) and whether the offset is a multiple
// of the block size (low half below the reciprocal). With block_size *
// inverse = 2^32 + e (0 <= e < block_size), a multiple q * block_size leaves
// a low half of q * e < 4096 < inverse, and a remainder r >= 1 adds
// r * inverse without reaching 2^32. Tested at every offset of every class.
inline std::uint64_t page_slot_product(std::uint32_t in_page, std::uint32_t inverse) {
  return std::uint64_t{in_page} * inverse;
}
inline std::uint32_t page_slot(std::uint64_t product) {  // in_page / block_size
  return static_cast<std::uint32_t>(product >> 32);
}
inline bool page_slot_exact(std::uint64_t product, std::uint32_t inverse) {  // no remainder
  return static_cast<std::uint32_t>(product) < inverse;
}

inline std::uint32_t block_index(const SizeClass &c, std::size_t offset, bool exact) {
  if (offset >= k_span_size) return UINT32_MAX;
  std::uint32_t index;
  std::uint32_t within;
  if (c.per_page != 0) {
    auto page = static_cast<std::uint32_t>(offset / 4096);
    auto in_page = static_cast<std::uint32_t>(offset % 4096);
    // Multiply-shift instead of a division on the free path; exact for
    // offsets below 2^12 and divisors below 2^13 (tests check every offset).
    auto slot = static_cast<std::uint32_t>((std::uint64_t{in_page} * c.inverse) >> 32);
    if (slot >= c.per_page) return UINT32_MAX;  // slack at the end of a page
    within = in_page - slot * c.block_size;
    index = page * c.per_page + slot;
  } else {
    index = static_cast<std::uint32_t>(offset / c.block_size);
    if (index >= c.blocks) return UINT32_MAX;
    within = static_cast<std::uint32_t>(offset - std::size_t{index} * c.block_size);
  }
  if (exact && within != 0) return UINT32_MAX;
  return index;
}

}  // namespace nxpool::rt
