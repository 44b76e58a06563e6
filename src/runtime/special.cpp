// Layer 3c: special pool pages. See special.h for the layout.
//
// Why one reserved region instead of a mapping per block: a fault handler
// must decide from a bare address, without a lock, whether the address is a
// guard page or a freed block, and which block it belongs to. With one
// region that is two comparisons and a division, and the per-slot record is
// read with atomic loads. The region is reserved without access and
// committed a page at a time, so its size costs address space only; each
// live block splits the mapping into at most two more kernel areas, and a
// freed page merges back with its guards.
//
// Slots are handed out from a stack of reusable slots, else from the
// never-used end of the region. A freed slot joins the back of the
// quarantine; once the quarantine is longer than its limit, the front slot
// becomes reusable. When every slot is live or quarantined, special_alloc
// fails and the caller uses the normal pool (Windows also falls back when
// special pool runs out). A slot next to a page that was opened after a
// bug check is retired: it is never handed out again.
//
// The fill check at free reads the whole page outside the block: the bytes
// before it (overrun mode; Windows calls damage there "nearby bytes within
// the same page") and the alignment slack after it (underrun mode: the rest
// of the page). Damage found there means the block is not freed.
//
// Tested by tests/runtime/special_pool_test.cpp.
#include "special.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <new>

#include "fork_gate.h"
#include "platform.h"

namespace nxpool::rt {
namespace {

enum State : std::uint8_t { Unused, Live, Quarantined, Reusable, Dead };

// Read by the fault handler (atomics), written under the mutex.
struct Slot {
  std::atomic<std::uint8_t> state{Unused};
  std::atomic<bool> retired{false};
  std::atomic<std::uint16_t> offset{0};  // block start within the page
  std::atomic<std::uint32_t> size{0};
  std::atomic<std::uint32_t> tag{0};
  Kind kind = Kind::Nx;
};

constexpr std::size_t k_region_bytes = (2 * k_special_slots + 1) * k_page_size;

std::atomic<char *> g_region{nullptr};
Slot *g_slots = nullptr;  // k_special_slots records, published with g_region

struct Lists {
  std::mutex mutex;
  std::size_t next_unused = 0;
  std::uint32_t reusable[k_special_slots];
  std::size_t reusable_count = 0;
  std::uint32_t quarantine[k_special_slots];  // a ring
  std::size_t q_head = 0, q_count = 0;
};
Lists *g_lists = nullptr;
std::atomic<std::size_t> g_quarantine_limit{1024};

char *page_of_slot(char *region, std::size_t slot) {
  return region + (2 * slot + 1) * k_page_size;
}

Protection prot_of(Kind kind) {
  return kind_is_executable(kind) ? Protection::ReadWriteExec : Protection::ReadWrite;
}

// Reserves the region on first use; false when the system refuses.
bool ensure_region() {
  if (g_region.load(std::memory_order_acquire) != nullptr) return true;
  static std::once_flag once;
  std::call_once(once, [] {
    void *slots = os_map_metadata((sizeof(Slot) * k_special_slots + k_page_size - 1) &
                                  ~(k_page_size - 1));
    void *lists = os_map_metadata((sizeof(Lists) + k_page_size - 1) & ~(k_page_size - 1));
    void *region = os_reserve_noaccess(k_region_bytes);
    if (slots == nullptr || lists == nullptr || region == nullptr) return;
    g_slots = new (slots) Slot[k_special_slots];
    g_lists = new (lists) Lists;
    g_region.store(static_cast<char *>(region), std::memory_order_release);
  });
  return g_region.load(std::memory_order_acquire) != nullptr;
}

// Moves quarantined slots beyond the limit to the reusable stack. Lock held.
void trim_quarantine(Lists &l) {
  const std::size_t limit = g_quarantine_limit.load(std::memory_order_relaxed);
  while (l.q_count > limit) {
    const std::uint32_t s = l.quarantine[l.q_head];
    l.q_head = (l.q_head + 1) % k_special_slots;
    --l.q_count;
    if (g_slots[s].retired.load(std::memory_order_relaxed)) {
      g_slots[s].state.store(Dead, std::memory_order_relaxed);
    } else {
      g_slots[s].state.store(Reusable, std::memory_order_relaxed);
      l.reusable[l.reusable_count++] = s;
    }
  }
}

// A slot to use, or k_special_slots. Lock held.
std::size_t take_slot(Lists &l) {
  while (l.reusable_count > 0) {
    const std::uint32_t s = l.reusable[--l.reusable_count];
    if (!g_slots[s].retired.load(std::memory_order_relaxed)) return s;
    g_slots[s].state.store(Dead, std::memory_order_relaxed);
  }
  while (l.next_unused < k_special_slots) {
    const std::size_t s = l.next_unused++;
    if (!g_slots[s].retired.load(std::memory_order_relaxed)) return s;
    g_slots[s].state.store(Dead, std::memory_order_relaxed);
  }
  return k_special_slots;
}

const unsigned char *first_changed(const unsigned char *from, const unsigned char *to) {
  for (const unsigned char *q = from; q < to; ++q) {
    if (*q != k_special_fill) return q;
  }
  return nullptr;
}

}  // namespace

void *special_alloc(Kind kind, std::size_t bytes, std::uint32_t tag, bool cache_aligned,
                    bool underrun) {
  if (bytes == 0) bytes = 1;
  if (bytes > k_special_max_bytes || !ensure_region()) return nullptr;
  char *region = g_region.load(std::memory_order_acquire);
  const std::size_t align = cache_aligned ? 64 : 16;
  const std::size_t rounded = (bytes + align - 1) & ~(align - 1);
  const std::size_t offset = underrun || rounded > k_page_size ? 0 : k_page_size - rounded;
  ForkGuard gate;
  std::lock_guard lock(g_lists->mutex);
  const std::size_t s = take_slot(*g_lists);
  if (s == k_special_slots) return nullptr;
  char *page = page_of_slot(region, s);
  if (!os_page_access(page, k_page_size, true, prot_of(kind))) {
    g_lists->reusable[g_lists->reusable_count++] = static_cast<std::uint32_t>(s);
    return nullptr;
  }
  // The page reads as zero (fresh, or discarded at its last free).
  std::memset(page, k_special_fill, offset);
  std::memset(page + offset + bytes, k_special_fill, k_page_size - offset - bytes);
  Slot &slot = g_slots[s];
  slot.kind = kind;
  slot.offset.store(static_cast<std::uint16_t>(offset), std::memory_order_relaxed);
  slot.size.store(static_cast<std::uint32_t>(bytes), std::memory_order_relaxed);
  slot.tag.store(tag, std::memory_order_relaxed);
  slot.state.store(Live, std::memory_order_release);
  return page + offset;
}

bool special_contains(const void *p) {
  const char *region = g_region.load(std::memory_order_acquire);
  const auto *c = static_cast<const char *>(p);
  return region != nullptr && c >= region && c < region + k_region_bytes;
}

SpecialFree special_free(void *p, std::uint32_t expected_tag, SpecialBlock *info) {
  char *region = g_region.load(std::memory_order_acquire);
  const std::size_t page_index = static_cast<std::size_t>(static_cast<char *>(p) - region) /
                                 k_page_size;
  if (page_index % 2 == 0) return SpecialFree::NotAllocated;
  const std::size_t s = page_index / 2;
  char *page = page_of_slot(region, s);
  ForkGuard gate;
  std::lock_guard lock(g_lists->mutex);
  Slot &slot = g_slots[s];
  const std::uint8_t state = slot.state.load(std::memory_order_relaxed);
  const std::size_t offset = slot.offset.load(std::memory_order_relaxed);
  const std::size_t size = slot.size.load(std::memory_order_relaxed);
  *info = SpecialBlock{page + offset, size, slot.tag.load(std::memory_order_relaxed), slot.kind,
                       nullptr, 0};
  if (state == Quarantined || state == Dead) return SpecialFree::FreedBefore;
  if (state != Live) return SpecialFree::NotAllocated;
  if (p != page + offset) {
    info->to_page_end = static_cast<std::size_t>(page + k_page_size - static_cast<char *>(p));
    return SpecialFree::BadAddress;
  }
  if (expected_tag != 0 && expected_tag != info->tag) return SpecialFree::WrongTag;
  const auto *u = reinterpret_cast<const unsigned char *>(page);
  const unsigned char *bad = first_changed(u, u + offset);
  if (bad == nullptr) bad = first_changed(u + offset + size, u + k_page_size);
  if (bad != nullptr) {
    info->damaged = bad;
    return SpecialFree::Damaged;
  }
  os_discard(page, k_page_size);
  os_page_access(page, k_page_size, false, Protection::ReadWrite);
  slot.state.store(Quarantined, std::memory_order_release);
  Lists &l = *g_lists;
  l.quarantine[(l.q_head + l.q_count) % k_special_slots] = static_cast<std::uint32_t>(s);
  ++l.q_count;
  trim_quarantine(l);
  return SpecialFree::Freed;
}

bool special_find(const void *p, SpecialBlock *info) {
  if (!special_contains(p)) return false;
  char *region = g_region.load(std::memory_order_acquire);
  const std::size_t page_index =
      static_cast<std::size_t>(static_cast<const char *>(p) - region) / k_page_size;
  if (page_index % 2 == 0) return false;
  const std::size_t s = page_index / 2;
  ForkGuard gate;
  std::lock_guard lock(g_lists->mutex);
  const Slot &slot = g_slots[s];
  if (slot.state.load(std::memory_order_relaxed) != Live) return false;
  char *start = page_of_slot(region, s) + slot.offset.load(std::memory_order_relaxed);
  const std::size_t size = slot.size.load(std::memory_order_relaxed);
  if (p < start || static_cast<const char *>(p) >= start + size) return false;
  *info = SpecialBlock{start, size, slot.tag.load(std::memory_order_relaxed), slot.kind, nullptr,
                       0};
  return true;
}

SpecialFault special_fault_at(const void *addr, const void **block) {
  *block = nullptr;
  if (!special_contains(addr)) return SpecialFault::NotOurs;
  char *region = g_region.load(std::memory_order_acquire);
  const std::size_t page_index =
      static_cast<std::size_t>(static_cast<const char *>(addr) - region) / k_page_size;
  if (page_index % 2 == 0) {
    // A guard page: the block before it overruns, or the one after underruns.
    const std::size_t after = page_index / 2;
    if (page_index > 0) {
      const Slot &prev = g_slots[after - 1];
      if (prev.state.load(std::memory_order_acquire) == Live) {
        *block = page_of_slot(region, after - 1) + prev.offset.load(std::memory_order_relaxed);
      }
    }
    if (*block == nullptr && after < k_special_slots &&
        g_slots[after].state.load(std::memory_order_acquire) == Live) {
      *block = page_of_slot(region, after) + g_slots[after].offset.load(std::memory_order_relaxed);
    }
    return SpecialFault::Guard;
  }
  const Slot &slot = g_slots[page_index / 2];
  if (slot.state.load(std::memory_order_acquire) == Live) return SpecialFault::NotOurs;
  *block = page_of_slot(region, page_index / 2) + slot.offset.load(std::memory_order_relaxed);
  return SpecialFault::Freed;
}

void special_open_page(const void *addr) {
  char *region = g_region.load(std::memory_order_acquire);
  const std::size_t page_index =
      static_cast<std::size_t>(static_cast<const char *>(addr) - region) / k_page_size;
  if (page_index % 2 == 0) {
    if (page_index > 0) g_slots[page_index / 2 - 1].retired.store(true, std::memory_order_relaxed);
    if (page_index / 2 < k_special_slots) {
      g_slots[page_index / 2].retired.store(true, std::memory_order_relaxed);
    }
  } else {
    g_slots[page_index / 2].retired.store(true, std::memory_order_relaxed);
  }
  os_page_access(region + page_index * k_page_size, k_page_size, true, Protection::ReadWrite);
}

void special_set_quarantine(std::size_t slots) {
  if (slots > k_special_slots) slots = k_special_slots;
  g_quarantine_limit.store(slots, std::memory_order_relaxed);
  if (!ensure_region()) return;
  ForkGuard gate;
  std::lock_guard lock(g_lists->mutex);
  trim_quarantine(*g_lists);
}

}  // namespace nxpool::rt
