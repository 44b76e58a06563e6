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

struct alignas(32) FreeList {
  void *head;
  // How many more blocks the list may take: the class's cache_limit minus
  // the blocks on it (briefly -1 on the slow path, which then moves half to
  // the central list). 0 in the shared empty cache, so one test on the free
  // path covers both "list full" and "thread has no cache yet".
  std::int32_t room;
  // The statistics row (this thread's, for this list's kind) of the tag
  // last counted through this list, set by the slow paths; tag 0 is none.
  // The fast paths count only into it, so they find it in the list's own
  // cache line.
  std::uint32_t tag;
  StatRow *row;
};

static_assert(sizeof(FreeList) == k_free_list_bytes);

struct Carve {
  char *span;
  std::uint32_t next;  // first block index not yet handed out
};

struct ThreadCache {
  // Indexed by kind * k_class_count + class; a span keeps its list's byte
  // offset (SpanInfo::list_offset), so a free finds its list with one load.
  FreeList lists[k_kind_count * k_class_count];
  Carve carve[k_kind_count][k_class_count];
  ThreadCache *next_parked;  // while no thread owns it (heap.cpp)

  FreeList &list(Kind kind, unsigned cls) {
    return lists[static_cast<unsigned>(kind) * k_class_count + cls];
  }
};

// Every thread starts on this one shared, empty cache: all its lists are
// empty and have limit 0, so the fast paths never write it (an allocation
// finds no block, a free finds no room) and the first slow path gives the
// thread a cache of its own (heap.cpp). The thread-local part is just this
// pointer, initial-exec: with the default model in position-independent code
// the compiler treats each access as a call to __tls_get_addr and saves
// registers around it on the fast path; and 8 bytes (not the cache's 3.6 KiB)
// still fit glibc's static TLS surplus if a library built from this archive
// is loaded with dlopen.
[[gnu::visibility("hidden")]] inline constinit ThreadCache g_no_cache{};
[[gnu::tls_model("initial-exec")]] inline constinit thread_local ThreadCache *t_cache = &g_no_cache;

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
// Odd, with the top half all ones: it fits a sign-extended 32-bit
// immediate, so the multiply needs no register for the constant, and a
// change of word0 in any bit still changes the product's top bits.
inline constexpr std::uintptr_t k_link_mix = 0xFFFFFFFF9E3779B1u;

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
// The decoded entry word of free block `block`; usable only when
// entry_in_place says so.
inline std::uintptr_t link_entry_word(const void *block) {
  const auto *w = static_cast<const std::uintptr_t *>(block);
  return w[1] ^ g_link_key[1] ^ (w[0] * k_link_mix);
}
// Whether `entry` is an entry of `block`'s own segment side table. In range
// and a multiple of the entry size in one compare: rotating the three low
// bits to the top makes any misaligned offset huge.
inline bool entry_in_place(const void *block, std::uintptr_t entry) {
  const std::uintptr_t off = entry - reinterpret_cast<std::uintptr_t>(segment_header(block)->meta);
  static_assert(sizeof(BlockMeta) == 8);
  return ((off >> 3) | (off << 61)) < sizeof(Segment::meta) / 8;
}
inline BlockMeta *link_entry(const void *block) {
  const std::uintptr_t entry = link_entry_word(block);
  if (!entry_in_place(block, entry)) [[unlikely]] return nullptr;
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

// The fast paths proper. Both do everything or nothing: when one returns
// nullptr / false nothing has been written, and the caller goes to the slow
// path, which repeats every check and handles what the fast path leaves
// (empty list, damaged link, a statistics row other than the list's,
// medium classes, large and special blocks, every kind of bad free).

// Pops a block of small or medium class `cls` from the calling thread's
// list. `tag` must not be 0.
// The list is given by its byte offset in the cache's `lists`
// ((kind * k_class_count + cls) * sizeof(FreeList)), so a caller with a
// table of offsets needs no multiply.
[[gnu::always_inline]] inline void *heap_alloc_fast_at(std::size_t list_offset, std::size_t bytes,
                                                       std::uint32_t tag) {
  FreeList &fl = *reinterpret_cast<FreeList *>(reinterpret_cast<char *>(t_cache->lists) +
                                               list_offset);
  // tag is not 0, so this also refuses the shared empty cache.
  if (fl.tag != tag) [[unlikely]] return nullptr;
  void *p = fl.head;
  if (p == nullptr) [[unlikely]] return nullptr;
  const std::uintptr_t word = link_entry_word(p);
  if (!entry_in_place(p, word)) [[unlikely]] return nullptr;
  auto *entry = reinterpret_cast<BlockMeta *>(word);
  // A free block's tag is 0; anything else means the list was forged.
  if (entry->tag.load(std::memory_order_relaxed) != 0) [[unlikely]] return nullptr;
  StatRow *row = fl.row;
  void *next = link_next(p);
  fl.head = next;
  // The next allocation from this list reads the next block's link words:
  // start loading its line now (a prefetch never faults, even when `next`
  // is null or forged; it is checked when it is popped).
  __builtin_prefetch(next);
  ++fl.room;
  entry->size.store(static_cast<std::uint32_t>(bytes), std::memory_order_relaxed);
  entry->tag.store(tag, std::memory_order_relaxed);
  stats_count_alloc(row, bytes);
  return p;
}
[[gnu::always_inline]] inline void *heap_alloc_fast(Kind kind, unsigned cls, std::size_t bytes,
                                                    std::uint32_t tag) {
  return heap_alloc_fast_at(
      (std::size_t{static_cast<unsigned>(kind)} * k_class_count + cls) * sizeof(FreeList), bytes,
      tag);
}

// Frees `p` when it is the start of a live block of a small class (at most
// a page) whose tag matches `expected_tag` (0: any) and whose statistics row
// is the one its list caches. Interior and slack addresses are rejected exactly, as
// on the slow path: the span's reciprocal gives the slot within the page
// (high half of the product) and whether the offset is a multiple of the
// block size (low half).
[[gnu::always_inline]] inline bool heap_free_fast(void *p, std::uint32_t expected_tag) {
  if (segment_of(p) == nullptr) [[unlikely]] return false;
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  Segment *seg = segment_header(p);
  const SpanInfo &si = seg->spans[(addr / k_span_size) % k_spans_per_segment];
  const std::uint32_t per_page = si.per_page;
  const auto in_page = static_cast<std::uint32_t>(addr % 4096);
  const std::uint32_t inverse = si.inverse;
  const std::uint64_t product = page_slot_product(in_page, inverse);
  const std::uint32_t slot = page_slot(product);
  // per_page is 0 for an unused span and for medium classes, so this also
  // sends those to the slow path.
  if (slot >= per_page || !page_slot_exact(product, inverse)) [[unlikely]] return false;
  const auto page = static_cast<std::uint32_t>((addr / 4096) % (k_span_size / 4096));
  BlockMeta &m = seg->meta[si.meta_first + page * per_page + slot];
  const std::uint32_t tag = m.tag.load(std::memory_order_relaxed);
  // Live (tag not 0) and the expected tag; a matching non-zero expected tag
  // proves both in one compare.
  if (__builtin_expect(expected_tag != 0, 1) ? tag != expected_tag : tag == 0) [[unlikely]] {
    return false;
  }
  FreeList &fl = *reinterpret_cast<FreeList *>(reinterpret_cast<char *>(t_cache->lists) +
                                               si.list_offset);
  // A statistics row other than the list's, or a full list (or the shared
  // empty cache), is the slow path's to handle.
  if (fl.tag != tag || fl.room <= 0) [[unlikely]] return false;
  StatRow *row = fl.row;
  const std::uint32_t size = m.size.load(std::memory_order_relaxed);
  m.tag.store(0, std::memory_order_relaxed);
  stats_count_free(row, size);
  set_link(p, fl.head, &m);
  fl.head = p;
  --fl.room;
  return true;
}

}  // namespace detail

// Always inlined: at -O2 GCC kept these as calls from the API entry points,
// which cost about a third of an alloc+free pair (bench/RESULTS.md).
[[gnu::always_inline]] inline void *heap_alloc(Kind kind, std::size_t bytes, std::uint32_t tag,
                                               bool cache_aligned, bool zero) {
  using namespace detail;
  const unsigned cls = size_class_for(bytes, cache_aligned);
  if (cls < k_class_count && tag != 0) {
    if (void *p = heap_alloc_fast(kind, cls, bytes, tag)) [[likely]] {
      if (zero) std::memset(p, 0, bytes);
      return p;
    }
  }
  return heap_alloc_slow(kind, bytes, tag, cache_aligned, zero);
}

[[gnu::always_inline]] inline FreeStatus heap_free(void *p, std::uint32_t expected_tag,
                                                   BlockInfo *info) {
  if (detail::heap_free_fast(p, expected_tag)) [[likely]] return FreeStatus::Freed;
  return detail::heap_free_slow(p, expected_tag, info);
}

}  // namespace nxpool::rt
