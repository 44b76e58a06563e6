// Layer 3: segments per pool kind and the address -> segment radix map.
// See arena.h for the design.
#include "arena.h"

#include <mutex>

#include "fork_gate.h"
#include "platform.h"

namespace nxpool::rt {

std::atomic<std::uint8_t> detail::g_segment_map[detail::k_map_entries];

namespace {

using namespace detail;

struct Arena {
  std::mutex mutex;
  Segment *current = nullptr;
  unsigned next_span = k_spans_per_segment;
  std::atomic<std::size_t> reserved{0};
};
Arena g_arenas[k_kind_count];

bool map_insert(Segment *seg) {
  auto key = reinterpret_cast<std::uintptr_t>(seg->base) >> k_stride_bits;
  if (key >= k_map_entries) return false;  // beyond 48-bit addresses
  g_segment_map[key].store(1, std::memory_order_release);
  return true;
}

Segment *new_segment(Kind kind) {
  // One reservation, read/write and committed only as touched: the data half
  // becomes executable right away for executable kinds, before any block
  // exists; the bookkeeping half never does.
  void *mem = os_map(k_segment_stride, k_segment_stride, Protection::ReadWrite);
  if (mem == nullptr) return nullptr;
  if (kind_is_executable(kind) && !os_protect_exec(mem, k_segment_size)) {
    os_unmap(mem, k_segment_stride);
    return nullptr;
  }
  // Zero-filled pages are the free state of every BlockMeta; only the header
  // fields need writing (touching meta[] would commit it).
  Segment *seg = segment_header(mem);
  seg->base = static_cast<char *>(mem);
  seg->kind = kind;
  for (auto &s : seg->spans) s.cls.store(k_class_count, std::memory_order_relaxed);
  if (!map_insert(seg)) {
    os_unmap(mem, k_segment_stride);
    return nullptr;
  }
  return seg;
}

}  // namespace

bool kind_is_executable(Kind kind) {
  switch (kind) {
    case Kind::Exec: return true;
    case Kind::Nx: return false;
    case Kind::Paged:
#if defined(__i386__) || defined(_M_IX86)
      return true;  // paged pool is executable on x86 only
#else
      return false;
#endif
  }
  return false;
}

char *arena_take_span(Kind kind, unsigned cls) {
  Arena &a = g_arenas[static_cast<unsigned>(kind)];
  ForkGuard gate;
  std::lock_guard lock(a.mutex);
  if (a.next_span == k_spans_per_segment) {
    Segment *seg = new_segment(kind);
    if (seg == nullptr) return nullptr;
    a.current = seg;
    a.next_span = 0;
    a.reserved.fetch_add(k_segment_size, std::memory_order_relaxed);
  }
  unsigned index = a.next_span++;
  Segment *seg = a.current;
  seg->spans[index].meta_first = seg->meta_used;
  seg->meta_used += (size_class(cls).blocks + 7) & ~7u;  // whole cache lines
  seg->spans[index].cls.store(static_cast<std::uint8_t>(cls), std::memory_order_release);
  return a.current->base + std::size_t{index} * k_span_size;
}

std::size_t arena_reserved_bytes(Kind kind) {
  return g_arenas[static_cast<unsigned>(kind)].reserved.load(std::memory_order_relaxed);
}

}  // namespace nxpool::rt
