// Layer 2: the size-class table. See size_class.h for the layout rules.
#include "size_class.h"

#include <array>

namespace nxpool::rt {
namespace {

constexpr std::array<std::uint32_t, k_class_count> k_sizes = {
    // 16-byte steps for the sizes drivers use most,
    16, 32, 48, 64, 80, 96, 112, 128,
    // then four steps per doubling,
    160, 192, 224, 256, 320, 384, 448, 512,
    // then sizes chosen to pack 7, 6, 5, 4, 3, 2 and 1 blocks into a page,
    576, 672, 816, 1024, 1360, 2048, 4096,
    // then whole-page medium classes carved from one 64 KiB span.
    8192, 12288, 16384, 20480, 32768, 65536};

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
  return c;
}

constexpr std::array<SizeClass, k_class_count> make_table() {
  std::array<SizeClass, k_class_count> t{};
  for (unsigned i = 0; i < k_class_count; ++i) t[i] = make_class(k_sizes[i]);
  return t;
}

constexpr std::array<SizeClass, k_class_count> k_table = make_table();

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

constexpr std::array<std::uint8_t, 65> k_small_lookup = make_small_lookup();

}  // namespace

const SizeClass &size_class(unsigned cls) { return k_table[cls]; }

unsigned size_class_for(std::size_t bytes, bool cache_aligned) {
  if (bytes > k_max_medium) return k_class_count;
  unsigned cls;
  if (bytes <= 1024) {
    cls = k_small_lookup[(bytes + 15) / 16];
  } else {
    cls = k_small_lookup[64];
    while (k_sizes[cls] < bytes) ++cls;
  }
  if (cache_aligned) {
    while (cls < k_class_count && k_sizes[cls] % k_cache_line != 0) ++cls;
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
