// Layer 3: segments per pool kind and the address -> segment radix map.
// See arena.h for the design.
#include "arena.h"

#include <mutex>
#include <new>

#include "platform.h"

namespace nxpool::rt {
namespace {

// 48-bit user addresses / 4 MiB segments = 26 bits of key, split 13 + 13.
constexpr unsigned k_address_bits = 48;
constexpr unsigned k_key_bits = k_address_bits - 22;
constexpr unsigned k_leaf_bits = 13;
constexpr std::size_t k_leaf_entries = std::size_t{1} << k_leaf_bits;
constexpr std::size_t k_root_entries = std::size_t{1} << (k_key_bits - k_leaf_bits);

using Leaf = std::atomic<Segment *>;
std::atomic<Leaf *> g_root[k_root_entries];
std::mutex g_root_mutex;  // only for creating leaves

struct Arena {
  std::mutex mutex;
  Segment *current = nullptr;
  unsigned next_span = k_spans_per_segment;
  std::atomic<std::size_t> reserved{0};
};
Arena g_arenas[k_kind_count];

Protection protection_of(Kind kind) {
  return kind_is_executable(kind) ? Protection::ReadWriteExec : Protection::ReadWrite;
}

bool map_insert(Segment *seg) {
  auto key = reinterpret_cast<std::uintptr_t>(seg->base) >> 22;
  if ((key >> k_key_bits) != 0) return false;  // beyond 48-bit addresses
  std::atomic<Leaf *> &slot = g_root[key >> k_leaf_bits];
  Leaf *leaf = slot.load(std::memory_order_acquire);
  if (leaf == nullptr) {
    std::lock_guard lock(g_root_mutex);
    leaf = slot.load(std::memory_order_acquire);
    if (leaf == nullptr) {
      void *mem = os_map_metadata(k_leaf_entries * sizeof(Leaf));
      if (mem == nullptr) return false;
      leaf = new (mem) Leaf[k_leaf_entries];  // zero pages are null pointers
      slot.store(leaf, std::memory_order_release);
    }
  }
  leaf[key & (k_leaf_entries - 1)].store(seg, std::memory_order_release);
  return true;
}

Segment *new_segment(Kind kind) {
  void *data = os_map(k_segment_size, k_segment_size, protection_of(kind));
  if (data == nullptr) return nullptr;
  constexpr std::size_t meta_bytes = (sizeof(Segment) + 4095) & ~std::size_t{4095};
  void *mem = os_map_metadata(meta_bytes);
  if (mem == nullptr) {
    os_unmap(data, k_segment_size);
    return nullptr;
  }
  // The mapping is zero-filled, which is the free state of every BlockMeta;
  // only the header fields need writing (touching meta[] would commit it).
  auto *seg = static_cast<Segment *>(mem);
  seg->base = static_cast<char *>(data);
  seg->kind = kind;
  for (auto &s : seg->spans) s.cls.store(k_class_count, std::memory_order_relaxed);
  if (!map_insert(seg)) {
    os_unmap(data, k_segment_size);
    os_unmap(mem, meta_bytes);
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

Segment *segment_of(const void *p) {
  auto key = reinterpret_cast<std::uintptr_t>(p) >> 22;
  if ((key >> k_key_bits) != 0) return nullptr;
  Leaf *leaf = g_root[key >> k_leaf_bits].load(std::memory_order_acquire);
  if (leaf == nullptr) return nullptr;
  return leaf[key & (k_leaf_entries - 1)].load(std::memory_order_acquire);
}

char *arena_take_span(Kind kind, unsigned cls) {
  Arena &a = g_arenas[static_cast<unsigned>(kind)];
  std::lock_guard lock(a.mutex);
  if (a.next_span == k_spans_per_segment) {
    Segment *seg = new_segment(kind);
    if (seg == nullptr) return nullptr;
    a.current = seg;
    a.next_span = 0;
    a.reserved.fetch_add(k_segment_size, std::memory_order_relaxed);
  }
  unsigned index = a.next_span++;
  a.current->spans[index].cls.store(static_cast<std::uint8_t>(cls), std::memory_order_release);
  return a.current->base + std::size_t{index} * k_span_size;
}

std::size_t arena_reserved_bytes(Kind kind) {
  return g_arenas[static_cast<unsigned>(kind)].reserved.load(std::memory_order_relaxed);
}

}  // namespace nxpool::rt
