// Layer 2: the size-class table. See size_class.h for the layout rules.
#include "size_class.h"

namespace nxpool::rt {
unsigned detail::size_class_for_slow(std::size_t bytes, bool cache_aligned) {
  if (bytes > k_max_medium) return k_class_count;
  unsigned cls = detail::k_small_lookup[bytes <= 1024 ? (bytes + 15) / 16 : 64];
  while (detail::k_sizes[cls] < bytes) ++cls;
  if (cache_aligned) {
    while (cls < k_class_count && detail::k_sizes[cls] % k_cache_line != 0) ++cls;
  }
  return cls;
}

std::uint32_t block_index(const SizeClass &c, std::size_t offset, bool exact) {
  if (offset >= k_span_size) return UINT32_MAX;
  std::uint32_t index;
  std::uint32_t within;
  if (c.per_page != 0) {
    auto page = static_cast<std::uint32_t>(offset / 4096);
    auto in_page = static_cast<std::uint32_t>(offset % 4096);
    // Multiply-shift instead of a division on the free path; exact for
    // offsets below 2^12 and divisors below 2^13 (tests check every offset).
    std::uint32_t slot = static_cast<std::uint32_t>((std::uint64_t{in_page} * c.inverse) >> 32);
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
