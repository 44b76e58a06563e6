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

}  // namespace nxpool::rt
