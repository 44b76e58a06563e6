// Layer 3: arenas, segments and the address map.
//
// An arena is the memory of one pool kind. It grows in 4 MiB segments, each
// mapped once with the kind's final protection (platform.h): executable
// nonpaged pool from read/write/execute segments, NX nonpaged and (on x86-64
// and AArch64) paged pool from read/write segments. Keeping the kinds in
// separate segments is what makes "this block is NX" a property of the page
// rather than a promise.
//
// A segment is cut into 64 KiB spans; each span serves one size class. The
// bookkeeping lives outside the segment, in a read/write side mapping (so the
// executable arena holds no allocator data that code could overwrite or run):
// per span its class, per block its tag and requested size (8 bytes, within
// the 16 bytes per block the Windows x64 pool spends on its header).
//
// Any address maps to its segment through a two-level radix table indexed by
// address / 4 MiB. Both levels are read with acquire loads and never freed, so
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

inline constexpr std::size_t k_segment_size = std::size_t{4} << 20;
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

struct SpanInfo {
  std::atomic<std::uint8_t> cls;  // k_class_count while the span is unused
};

struct Segment {
  char *base;  // the 4 MiB data mapping
  Kind kind;
  SpanInfo spans[k_spans_per_segment];
  BlockMeta meta[k_spans_per_segment][k_max_blocks_per_span];
};

// Finds the segment holding `p`, or nullptr. Safe for any pointer value.
Segment *segment_of(const void *p);

// A fresh span of `kind`, assigned to class `cls`. Returns its address, or
// nullptr when the system has no memory. Thread-safe.
char *arena_take_span(Kind kind, unsigned cls);

// Bytes of data mappings (segments) the arenas hold, per kind.
std::size_t arena_reserved_bytes(Kind kind);

}  // namespace nxpool::rt
