// Layer 3: arenas, segments and the address map.
//
// An arena is the memory of one pool kind. It grows in 4 MiB segments, each
// given the kind's final protection once, when it is created (platform.h):
// executable nonpaged pool from read/write/execute segments, NX nonpaged and
// (on x86-64 and AArch64) paged pool from read/write segments. Keeping the
// kinds in separate segments is what makes "this block is NX" a property of
// the page rather than a promise.
//
// A segment is cut into 64 KiB spans; each span serves one size class. The
// bookkeeping lives outside the segment's data, in the read/write 4 MiB that
// follow it within one 8 MiB-aligned reservation (so the executable arena
// holds no allocator data that code could overwrite or run, and a pool
// pointer finds its bookkeeping by masking, without a lookup):
// per span its class, per block its tag and requested size (8 bytes, within
// the 16 bytes per block the Windows x64 pool spends on its header). The
// entries of a span are dense, indexed by block number, so the entries of a
// thousand live blocks fit in a few KiB of cache.
//
// Whether any address lies in a segment's data is one byte in a flat map
// indexed by address / 4 MiB, read with an acquire load; the map is never freed, so
// looking up an arbitrary pointer (a stack address, malloc memory) is safe and
// simply finds nothing; that is how nxpool_is_executable answers -1 and how a
// bad free is told apart from a double free.
//
// Spans are never returned to the system (large blocks are, see large.h).
//
// Tested by tests/runtime/arena_test.cpp and the pool API tests.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "size_class.h"

namespace nxpool::rt {

// Pool kinds, in the order of NXPOOL_KIND_* in <nxpool/runtime.h>.
enum class Kind : std::uint8_t { Nx = 0, Exec = 1, Paged = 2 };
inline constexpr unsigned k_kind_count = 3;

// True when blocks of `kind` sit on executable pages on this host.
bool kind_is_executable(Kind kind);

inline constexpr std::size_t k_segment_size = std::size_t{4} << 20;    // data
inline constexpr std::size_t k_segment_stride = std::size_t{8} << 20;  // data + bookkeeping
inline constexpr unsigned k_spans_per_segment = k_segment_size / k_span_size;

// Per-block bookkeeping. tag == 0 means the block is free: every live block
// has a non-zero tag (untagged allocators record 'None'). Relaxed atomics,
// because nxpool_is_executable may look at any block from any thread; the
// owner's plain-looking stores compile to ordinary moves.
struct BlockMeta {
  std::atomic<std::uint32_t> tag;
  std::atomic<std::uint32_t> size;  // requested bytes, for statistics
};
static_assert(sizeof(BlockMeta) == 8);

// Size of a thread's free list head (heap.h's FreeList, which checks it).
inline constexpr unsigned k_free_list_bytes = 32;

// Per span: its class and, copied when the span gets its class (before
// `cls` is published), what the free fast path needs, so a free reads one
// 16-byte entry instead of the span's class and the class table.
struct SpanInfo {
  std::atomic<std::uint8_t> cls;  // k_class_count while the span is unused
  std::uint16_t per_page;         // small classes: blocks per page; 0 unused or medium
  // Byte offset of the thread list for this span's kind and class in a
  // thread cache's lists: (kind * k_class_count + cls) * k_free_list_bytes.
  std::uint16_t list_offset;
  std::uint32_t meta_first;       // index of block 0's entry in Segment::meta
  std::uint32_t inverse;          // small classes: the class's reciprocal (size_class.h)
};
static_assert(sizeof(SpanInfo) == 16);

// The bookkeeping of a segment, at data + k_segment_size.
struct Segment {
  char *base;           // the 4 MiB of data
  std::uint64_t phys;   // its simulated physical address (physmem.h); 0 once private
  Kind kind;
  SpanInfo spans[k_spans_per_segment];
  std::uint32_t meta_used;  // entries handed to spans so far (arena lock)
  BlockMeta meta[k_spans_per_segment * (k_max_blocks_per_span + 8)];  // committed as touched
};

// The entry of block `index` in span `span`. A span's entries are packed
// after the previous span's when it gets its class (as many as the class has
// blocks, rounded to a cache line), so a segment of 64 KiB blocks spends a
// few cache lines on bookkeeping rather than a page per span, and entries of
// different spans do not all compete for the same cache sets.
inline BlockMeta &meta_entry(Segment *seg, std::size_t span, std::uint32_t index) {
  return seg->meta[seg->spans[span].meta_first + index];
}
static_assert(sizeof(Segment) <= k_segment_stride - k_segment_size);

// The bookkeeping for `p`, by address arithmetic alone. Only meaningful when
// `p` is known to be in a segment's data (segment_of(p) said so, or the heap
// handed it out); computing it for any pointer is harmless.
inline Segment *segment_header(const void *p) {
  auto base = reinterpret_cast<std::uintptr_t>(p) & ~(k_segment_stride - 1);
  return reinterpret_cast<Segment *>(base + k_segment_size);
}

namespace detail {
// One byte per 4 MiB of the 48-bit address space (64 MiB of zero-filled,
// lazily committed .bss): 1 for the data half of a segment's reservation,
// 0 for everything else, its bookkeeping half included. A single load
// answers "is this pool segment data?" for any address, and the header is
// then found by masking.
inline constexpr unsigned k_address_bits = 48;
inline constexpr unsigned k_map_bits = 22;
static_assert(std::size_t{1} << k_map_bits == k_segment_size);
inline constexpr std::size_t k_map_entries = std::size_t{1} << (k_address_bits - k_map_bits);
extern std::atomic<std::uint8_t> g_segment_map[k_map_entries];
}  // namespace detail

// Finds the segment whose data holds `p`, or nullptr. Safe for any pointer.
inline Segment *segment_of(const void *p) {
  using namespace detail;
  const auto key = reinterpret_cast<std::uintptr_t>(p) >> k_map_bits;
  if (key >= k_map_entries) return nullptr;  // beyond 48 bits
  // Acquire pairs with the release in arena.cpp: a set byte implies the
  // header fields are visible.
  if (g_segment_map[key].load(std::memory_order_acquire) == 0) return nullptr;
  return segment_header(p);
}

// A fresh span of `kind`, assigned to class `cls`. Returns its address, or
// nullptr when the system has no memory. Thread-safe.
char *arena_take_span(Kind kind, unsigned cls);

// Makes segments created from now on shared simulated physical memory (on)
// or private (off); returns the previous setting. See nxpool_set_mdl_views.
bool arena_set_shared(bool on);

// The simulated physical address of pool byte `p`; false when `p` is not in
// a segment's data, or the segment's pages are private (after fork).
bool arena_physical(const void *p, std::uint64_t *pa);

// In a forked child: gives every segment private pages with the same
// contents, so the child's pool stops sharing memory with its parent.
// Single-threaded (pthread_atfork child handler).
void arena_privatize_after_fork();

// Bytes of data mappings (segments) the arenas hold, per kind.
std::size_t arena_reserved_bytes(Kind kind);

}  // namespace nxpool::rt
