// Layer 3: segments per pool kind and the address -> segment radix map.
// See arena.h for the design.
#include "arena.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "fork_gate.h"
#include "physmem.h"
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

// Every segment ever made (they are never returned), for the fork handler.
std::mutex g_all_lock;
std::vector<Segment *> *g_all = new std::vector<Segment *>;

// Whether new segments are simulated physical memory (shared, so an MDL can
// view them twice) or private. Private by default: a forked child copies
// shared segments in its atfork handler, and pool threads the parent keeps
// running can change them before the copy is done.
// -1: not decided yet (NXPOOL_MDL_VIEWS is read on first use).
std::atomic<int> g_shared_segments{-1};

bool shared_segments() {
  int v = g_shared_segments.load(std::memory_order_relaxed);
  if (v < 0) {
    const char *env = std::getenv("NXPOOL_MDL_VIEWS");
    int fresh = (env != nullptr && *env != '\0' && *env != '0') ? 1 : 0;
    g_shared_segments.compare_exchange_strong(v, fresh, std::memory_order_relaxed);
    v = g_shared_segments.load(std::memory_order_relaxed);
  }
  return v == 1;
}

int data_prot(Kind kind) {
  return kind_is_executable(kind) ? (PROT_READ | PROT_WRITE | PROT_EXEC)
                                  : (PROT_READ | PROT_WRITE);
}

bool map_insert(Segment *seg) {
  auto key = reinterpret_cast<std::uintptr_t>(seg->base) >> k_map_bits;  // the data half only
  if (key >= k_map_entries) return false;  // beyond 48-bit addresses
  g_segment_map[key].store(1, std::memory_order_release);
  return true;
}

Segment *new_segment(Kind kind) {
  // One reservation, read/write and committed only as touched. With MDL
  // views on, the data half is then replaced by simulated physical memory
  // (physmem.h) with the kind's final protection, before any block exists,
  // so that an MDL can map a second view of it; otherwise (or when physical
  // memory cannot be had) it stays private, and executable kinds get their
  // protection here (MDL mappings then keep the own address).
  void *mem = os_map(k_segment_stride, k_segment_stride, Protection::ReadWrite);
  if (mem == nullptr) return nullptr;
  std::uint64_t pa = 0;
  if (shared_segments() && phys_take(0, ~std::uint64_t{0}, 0, k_segment_size, &pa)) {
    if (!phys_map_at(mem, pa, k_segment_size, data_prot(kind))) {
      phys_give_back(pa, k_segment_size);
      pa = 0;
    }
  }
  if (pa == 0 && kind_is_executable(kind) && !os_protect_exec(mem, k_segment_size)) {
    os_unmap(mem, k_segment_stride);
    return nullptr;
  }
  // Zero-filled pages are the free state of every BlockMeta; only the header
  // fields need writing (touching meta[] would commit it).
  Segment *seg = segment_header(mem);
  seg->base = static_cast<char *>(mem);
  seg->phys = pa;
  seg->kind = kind;
  for (auto &s : seg->spans) s.cls.store(k_class_count, std::memory_order_relaxed);
  if (!map_insert(seg)) {
    os_unmap(mem, k_segment_stride);
    if (pa != 0) phys_give_back(pa, k_segment_size);
    return nullptr;
  }
  std::lock_guard hold(g_all_lock);
  g_all->push_back(seg);
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
  const SizeClass &c = size_class(cls);
  SpanInfo &si = seg->spans[index];
  si.meta_first = seg->meta_used;
  si.list_offset = static_cast<std::uint16_t>(
      (static_cast<unsigned>(kind) * k_class_count + cls) * k_free_list_bytes);
  static_assert(k_kind_count * k_class_count * k_free_list_bytes <= UINT16_MAX);
  if (c.per_page != 0) {  // small: what the free fast path uses
    si.per_page = static_cast<std::uint16_t>(c.per_page);
    si.inverse = c.inverse;
  }
  seg->meta_used += (c.blocks + 7) & ~7u;  // whole cache lines
  si.cls.store(static_cast<std::uint8_t>(cls), std::memory_order_release);
  return a.current->base + std::size_t{index} * k_span_size;
}

bool arena_set_shared(bool on) {
  shared_segments();  // settle the environment's value first
  return g_shared_segments.exchange(on ? 1 : 0, std::memory_order_relaxed) == 1;
}

bool arena_physical(const void *p, std::uint64_t *pa) {
  Segment *seg = segment_of(p);
  if (seg == nullptr || seg->phys == 0) return false;
  *pa = seg->phys + static_cast<std::uint64_t>(static_cast<const char *>(p) - seg->base);
  return true;
}

void arena_privatize_after_fork() {
  new (&g_all_lock) std::mutex;  // the parent's state of it means nothing here
  for (Segment *seg : *g_all) {
    if (seg->phys == 0) continue;
    // Only spans handed out hold anything; the rest stay zero.
    std::size_t used = 0;
    for (unsigned i = 0; i < k_spans_per_segment; ++i) {
      if (seg->spans[i].cls.load(std::memory_order_relaxed) < k_class_count) {
        used = std::size_t{i + 1} * k_span_size;
      }
    }
    void *copy = mmap(nullptr, k_segment_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy == MAP_FAILED) continue;  // keeps sharing: nothing better to do
    std::memcpy(copy, seg->base, used);
    if (mprotect(copy, k_segment_size, data_prot(seg->kind)) != 0 ||
        mremap(copy, k_segment_size, k_segment_size, MREMAP_MAYMOVE | MREMAP_FIXED, seg->base) ==
            MAP_FAILED) {
      munmap(copy, k_segment_size);
      continue;
    }
    seg->phys = 0;
  }
}

std::size_t arena_reserved_bytes(Kind kind) {
  return g_arenas[static_cast<unsigned>(kind)].reserved.load(std::memory_order_relaxed);
}

}  // namespace nxpool::rt
