// Layer 4: the heap front end - per-thread caches over the arenas.
//
// This is the pool's engine, independent of WDK pool types: the API layer
// (pool_api.cpp) turns a POOL_TYPE or POOL_FLAGS value into a Kind, an
// alignment and a zeroing choice and calls heap_alloc; frees come back
// through heap_free, which also tells a double free from a wrong tag from an
// address that was never a pool block, without touching the block itself
// when it is not one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "arena.h"
#include "stats.h"

namespace nxpool::rt {

// Largest request the heap attempts; anything bigger fails up front rather
// than asking the system for an impossible mapping.
inline constexpr std::size_t k_max_request = std::size_t{1} << 46;

// Allocates `bytes` (0 is served as 1) of pool `kind` for `tag` (non-zero).
// Small blocks are 16-byte aligned and never cross a 4 KiB page; blocks of a
// page or more are page-aligned; `cache_aligned` raises small blocks to 64
// bytes. The first `bytes` are zeroed when `zero` is set. Returns nullptr
// when memory is exhausted. Counts the allocation in the statistics.
inline void *heap_alloc(Kind kind, std::size_t bytes, std::uint32_t tag, bool cache_aligned,
                        bool zero);

struct BlockInfo {
  void *start;
  std::size_t size;  // requested bytes
  std::uint32_t tag;
  Kind kind;
};

enum class FreeStatus {
  Freed,     // done (`info` is not written)
  NotPool,   // `p` is not the start of a pool block (info untouched)
  NotLive,   // `p` is the start of a pool block that is already free
  WrongTag,  // live block, but its tag differs from `expected_tag`; not freed
};

// Frees the block starting at `p`. `expected_tag` 0 accepts any tag. `info`
// describes the block for NotLive and WrongTag.
inline FreeStatus heap_free(void *p, std::uint32_t expected_tag, BlockInfo *info);

// Finds the live block whose requested bytes contain `p`. Safe for any `p`.
bool heap_find(const void *p, BlockInfo *info);

// Memory the heap holds from the system: segment and large mappings, bytes.
std::size_t heap_reserved_bytes();

// ---- the fast paths, inline so the API layer's entry points contain them ----
// (Design notes in heap.cpp.)

namespace detail {

struct FreeList {
  void *head;
  std::uint32_t count;
};

struct Carve {
  char *span;
  std::uint32_t next;  // first block index not yet handed out
};

struct ThreadCache {
  FreeList lists[k_kind_count][k_class_count];
  Carve carve[k_kind_count][k_class_count];
  bool registered;
};

inline constinit thread_local ThreadCache t_cache{};

// A free block holds its free-list link in its first word and, in its
// second, a pointer to its bookkeeping entry, so allocation finds the entry
// without recomputing the block number (every block is at least 16 bytes).
// Both words are in reach of a driver that writes into a freed block, so
// they are encoded with a per-process secret and checked before they are
// trusted (as hardened allocators do):
//   word0 = next ^ key0
//   word1 = entry ^ key1 ^ (word0 * odd constant)
// Decoding word1 gives an address inside the block's own segment side table
// only when both words are intact (the multiply spreads even a one-bit change
// of word0 over the high bits); anything else is reported as a damaged free
// list instead of being followed. Writes that keep both words intact cannot
// be forged without the keys.
// Hidden: read on every allocation and free, so no GOT indirection in PIC builds.
[[gnu::visibility("hidden")]] inline std::uintptr_t g_link_key[2];  // set once, before the first block is linked
inline constexpr std::uintptr_t k_link_mix = 0x9E3779B97F4A7C15u;

inline void set_link(void *block, void *next, BlockMeta *entry) {
  auto *w = static_cast<std::uintptr_t *>(block);
  const std::uintptr_t w0 = reinterpret_cast<std::uintptr_t>(next) ^ g_link_key[0];
  w[0] = w0;
  w[1] = reinterpret_cast<std::uintptr_t>(entry) ^ g_link_key[1] ^ (w0 * k_link_mix);
}
inline void *link_next(const void *block) {
  return reinterpret_cast<void *>(static_cast<const std::uintptr_t *>(block)[0] ^ g_link_key[0]);
}
// The entry of free block `block`, or nullptr when its link words are damaged.
inline BlockMeta *link_entry(const void *block) {
  const auto *w = static_cast<const std::uintptr_t *>(block);
  const std::uintptr_t entry = w[1] ^ g_link_key[1] ^ (w[0] * k_link_mix);
  const std::uintptr_t off = entry - reinterpret_cast<std::uintptr_t>(segment_header(block)->meta);
  if (off >= sizeof(Segment::meta) || (off % sizeof(BlockMeta)) != 0) [[unlikely]] return nullptr;
  return reinterpret_cast<BlockMeta *>(entry);
}
// Points `block` at a new successor, keeping its entry.
inline void relink(void *block, void *next) { set_link(block, next, link_entry(block)); }

// Called (with no lock held) when a free block's link words were found
// damaged; installed by the API layer, which turns it into a bug check. The
// damaged list is dropped afterwards: its blocks are never handed out again.
using DamageHook = void (*)(void *block, std::uintptr_t word0, std::uintptr_t word1);
inline DamageHook g_damage_hook = nullptr;
void *heap_alloc_damaged(Kind kind, unsigned cls, std::size_t bytes, std::uint32_t tag,
                         bool cache_aligned, bool zero);

// Everything off the fast paths: refills, large blocks, overflow, errors.
void *heap_alloc_slow(Kind kind, std::size_t bytes, std::uint32_t tag, bool cache_aligned,
                      bool zero);
FreeStatus heap_free_slow(void *p, std::uint32_t expected_tag, BlockInfo *info);
void heap_after_push(Kind kind, unsigned cls);

}  // namespace detail

// Always inlined: at -O2 GCC kept these as calls from the API entry points,
// which cost about a third of an alloc+free pair (bench/RESULTS.md).
[[gnu::always_inline]] inline void *heap_alloc(Kind kind, std::size_t bytes, std::uint32_t tag,
                                               bool cache_aligned, bool zero) {
  using namespace detail;
  const unsigned cls = size_class_for(bytes, cache_aligned);
  if (cls < k_class_count) {
    FreeList &fl = t_cache.lists[static_cast<unsigned>(kind)][cls];
    if (void *p = fl.head; p != nullptr) [[likely]] {
      BlockMeta *entry = link_entry(p);
      // A free block's tag is 0; anything else means the list was forged.
      if (entry == nullptr || entry->tag.load(std::memory_order_relaxed) != 0) [[unlikely]] {
        return heap_alloc_damaged(kind, cls, bytes, tag, cache_aligned, zero);
      }
      fl.head = link_next(p);
      --fl.count;
      BlockMeta &m = *entry;
      m.size.store(static_cast<std::uint32_t>(bytes), std::memory_order_relaxed);
      m.tag.store(tag, std::memory_order_relaxed);
      stats_alloc(tag, kind, bytes);
      if (zero) std::memset(p, 0, bytes);
      return p;
    }
  }
  return heap_alloc_slow(kind, bytes, tag, cache_aligned, zero);
}

[[gnu::always_inline]] inline FreeStatus heap_free(void *p, std::uint32_t expected_tag,
                                                   BlockInfo *info) {
  using namespace detail;
  const auto offset = reinterpret_cast<std::uintptr_t>(p) & (k_segment_size - 1);
  // segment_of validates `p`; the bookkeeping address itself is arithmetic,
  // so its loads need not wait for the map lookup.
  if (segment_of(p) == nullptr) [[unlikely]] return heap_free_slow(p, expected_tag, info);
  Segment *seg = segment_header(p);
  const std::size_t span = offset / k_span_size;
  const unsigned cls = seg->spans[span].cls.load(std::memory_order_relaxed);
  if (cls >= k_class_count) [[unlikely]] return heap_free_slow(p, expected_tag, info);
  const SizeClass &c = size_class(cls);
  // Exact: an address inside a block, or in page slack, is not a block start.
  const std::uint32_t index = block_index(c, offset % k_span_size, true);
  if (index == UINT32_MAX) [[unlikely]] return heap_free_slow(p, expected_tag, info);
  BlockMeta &m = meta_entry(seg, span, index);
  const std::uint32_t tag = m.tag.load(std::memory_order_relaxed);
  if (tag == 0 || (expected_tag != 0 && expected_tag != tag)) [[unlikely]] {
    return heap_free_slow(p, expected_tag, info);
  }
  const std::uint32_t size = m.size.load(std::memory_order_relaxed);
  const Kind kind = seg->kind;
  m.tag.store(0, std::memory_order_relaxed);
  stats_free(tag, kind, size);
  FreeList &fl = t_cache.lists[static_cast<unsigned>(kind)][cls];
  set_link(p, fl.head, &m);
  fl.head = p;
  if (++fl.count > c.cache_limit || !t_cache.registered) [[unlikely]] {
    heap_after_push(kind, cls);
  }
  return FreeStatus::Freed;
}

}  // namespace nxpool::rt
