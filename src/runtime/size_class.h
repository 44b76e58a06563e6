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

#include <cstddef>
#include <cstdint>

namespace nxpool::rt {

inline constexpr std::size_t k_span_size = 64 * 1024;  // unit a class owns
inline constexpr std::size_t k_max_small = 4096;       // classes carved per page
inline constexpr std::size_t k_max_medium = k_span_size;
inline constexpr std::size_t k_cache_line = 64;
inline constexpr unsigned k_class_count = 29;
inline constexpr std::uint32_t k_max_blocks_per_span = k_span_size / 16;

struct SizeClass {
  std::uint32_t block_size;     // bytes per block
  std::uint32_t per_page;       // blocks per 4 KiB page (small), 0 for medium
  std::uint32_t blocks;         // blocks per span
  std::uint32_t inverse;        // ceil(2^32 / block_size): offset -> index
};

// The class table, ordered by block size.
const SizeClass &size_class(unsigned cls);

// Smallest class holding `bytes` (0 counts as 1). `cache_aligned` restricts to
// classes that are a multiple of k_cache_line. Returns k_class_count when the
// request is larger than k_max_medium (a large block).
unsigned size_class_for(std::size_t bytes, bool cache_aligned);

// Address of block `index` in a span of class `c` starting at `span`.
inline char *block_address(char *span, const SizeClass &c, std::uint32_t index) {
  if (c.per_page == 0) return span + std::size_t{index} * c.block_size;
  std::uint32_t page = index / c.per_page;
  std::uint32_t slot = index - page * c.per_page;
  return span + std::size_t{page} * 4096 + std::size_t{slot} * c.block_size;
}

// Index of the block that starts exactly at `offset` bytes into a span, or
// UINT32_MAX when no block starts there (an interior or slack address).
// `exact == false` returns the block containing the offset instead.
std::uint32_t block_index(const SizeClass &c, std::size_t offset, bool exact);

}  // namespace nxpool::rt
