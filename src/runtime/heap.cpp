// Layer 4: per-thread caches, central free lists, and the alloc/free paths.
//
// Each thread keeps, per (kind, size class), a singly linked list of free
// blocks threaded through the blocks themselves. Allocation pops, free pushes:
// no lock and no shared atomic on either path. Lists are bounded; when a list
// overflows, half of it moves to a central list for that (kind, class) under
// a mutex, and an empty list refills from there first, so memory freed by one
// thread is reused by another (the producer/consumer pattern drivers have:
// allocate in a dispatch routine, free in a completion routine).
//
// Only when the central list is empty are new blocks cut from a span the
// thread owns ("bump" carving, a batch at a time, so fresh pages are touched
// only as they are used), and only when that span is used up does the thread
// take a new span from the arena. When a thread exits, its cached blocks and
// the uncut rest of its spans go to the central lists.
//
// Pool memory holds allocator data only while a block is free: the list link
// and a pointer to the block's bookkeeping entry (first two words). Tag and
// size live in the segment's side table (arena.h), written on allocation and
// cleared on free, which is how a double free or a free of an interior
// address is recognised before anything is modified. The hot paths are
// inline in heap.h; this file has everything that may take a lock or call
// the system.
//
// Tested by tests/runtime/pool_alloc_test.cpp, bugcheck_test.cpp and the
// randomized multi-threaded stress test (stress_test.cpp) under ASan/TSan.
#include "heap.h"

#include <pthread.h>
#include <sys/random.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "fork_gate.h"
#include "large.h"
#include "platform.h"
#include "special.h"
#include "stats.h"

namespace nxpool::rt {
namespace {

using namespace detail;

struct alignas(64) Central {
  std::mutex mutex;
  void *head = nullptr;
  std::uint32_t count = 0;
};
Central g_central[k_kind_count][k_class_count];

// Pushes a chain first..last of n blocks onto the central list.
void central_push(Kind kind, unsigned cls, void *first, void *last, std::uint32_t n) {
  Central &c = g_central[static_cast<unsigned>(kind)][cls];
  ForkGuard gate;
  std::lock_guard lock(c.mutex);
  relink(last, c.head);
  c.head = first;
  c.count += n;
}

void thread_exit(void *);

// The free-list keys (heap.h): random, chosen before the first block is
// linked. Every block is linked by some thread's refill, which calls this
// first, so a thread that pops has seen the keys.
void choose_link_keys() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::uintptr_t k[2] = {0, 0};
    if (getrandom(k, sizeof k, 0) != static_cast<ssize_t>(sizeof k)) {
      k[0] = reinterpret_cast<std::uintptr_t>(&k) * k_link_mix ^ static_cast<std::uintptr_t>(getpid());
      k[1] = k[0] * k_link_mix + 1;
    }
    g_link_key[0] = k[0];
    g_link_key[1] = k[1];
  });
}

// Whether a free block's link can be followed; reports it when not. Used on
// the slow paths that walk chains (the fast path checks inline).
bool intact(void *block) {
  if (link_entry(block) != nullptr) [[likely]] return true;
  const auto *w = static_cast<const std::uintptr_t *>(block);
  if (g_damage_hook != nullptr) g_damage_hook(block, w[0], w[1]);
  return false;
}

// fork(): see fork_gate.h. The forking thread holds the gate exclusively
// across the fork; the parent releases it, the child starts a fresh one.
void fork_prepare() { pthread_rwlock_wrlock(fork_gate()); }
void fork_parent() { pthread_rwlock_unlock(fork_gate()); }
void fork_child() {
  fork_gate_init(fork_gate());
  arena_privatize_after_fork();  // pool pages are shared memory (arena.cpp)
}

[[maybe_unused]] const int g_fork_handlers = pthread_atfork(fork_prepare, fork_parent, fork_child);

pthread_key_t exit_key() {
  static pthread_key_t key = [] {
    pthread_key_t k;
    pthread_key_create(&k, thread_exit);
    return k;
  }();
  return key;
}

// Caches of exited threads, for the next thread that needs one.
std::mutex g_parked_mutex;
ThreadCache *g_parked = nullptr;

// Gives the calling thread a cache of its own (a parked one, or a new one),
// with every list's limit set; nullptr when there is no memory for one.
[[gnu::noinline]] ThreadCache *new_cache() {
  ThreadCache *c = nullptr;
  {
    ForkGuard gate;
    std::lock_guard lock(g_parked_mutex);
    if (g_parked != nullptr) {
      c = g_parked;
      g_parked = c->next_parked;
    }
  }
  if (c == nullptr) {
    c = static_cast<ThreadCache *>(os_map_metadata((sizeof(ThreadCache) + 4095) & ~std::size_t{4095}));
    if (c == nullptr) return nullptr;
  }
  *c = ThreadCache{};
  for (unsigned i = 0; i < k_kind_count * k_class_count; ++i) {
    c->lists[i].room = static_cast<std::int32_t>(size_class(i % k_class_count).cache_limit);
  }
  t_cache = c;
  pthread_setspecific(exit_key(), c);  // thread_exit gives it back
  return c;
}

// The calling thread's own cache (see g_no_cache in heap.h), or nullptr.
ThreadCache *own_cache() {
  ThreadCache *c = t_cache;
  return c != &g_no_cache ? c : new_cache();
}

// Moves `n` blocks from the head of the thread's list to the central list.
void flush(ThreadCache &tc, Kind kind, unsigned cls, std::uint32_t n) {
  FreeList &fl = tc.list(kind, cls);
  if (n == 0 || fl.head == nullptr) return;
  void *first = fl.head;
  void *last = first;
  std::uint32_t moved = 1;
  while (moved < n && link_next(last) != nullptr && intact(last)) {
    last = link_next(last);
    ++moved;
  }
  fl.head = intact(last) ? link_next(last) : nullptr;
  fl.room += static_cast<std::int32_t>(moved);
  central_push(kind, cls, first, last, moved);
}

// Links blocks [from, to) of a carving span into a chain; returns its head.
void *link_blocks(char *span, const SizeClass &c, std::uint32_t from, std::uint32_t to,
                  void **last_out) {
  Segment *seg = segment_header(span);
  BlockMeta *meta = &meta_entry(
      seg, (reinterpret_cast<std::uintptr_t>(span) & (k_segment_size - 1)) / k_span_size, 0);
  void *head = nullptr;
  for (std::uint32_t i = to; i-- > from;) {
    void *b = block_address(span, c, i);
    if (head == nullptr) *last_out = b;
    set_link(b, head, &meta[i]);
    head = b;
  }
  return head;
}

void thread_exit(void *arg) {
  auto &tc = *static_cast<ThreadCache *>(arg);
  for (unsigned k = 0; k < k_kind_count; ++k) {
    for (unsigned cls = 0; cls < k_class_count; ++cls) {
      FreeList &fl = tc.list(static_cast<Kind>(k), cls);
      flush(tc, static_cast<Kind>(k), cls, UINT32_MAX);  // all of it
      fl = FreeList{};
      Carve &cv = tc.carve[k][cls];
      const SizeClass &c = size_class(cls);
      if (cv.span != nullptr && cv.next < c.blocks) {
        void *last = nullptr;
        void *first = link_blocks(cv.span, c, cv.next, c.blocks, &last);
        central_push(static_cast<Kind>(k), cls, first, last, c.blocks - cv.next);
      }
      cv = Carve{};
    }
  }
  // Blocks freed after this (by later thread-exit destructors) find the
  // shared empty cache and make the thread take a cache again.
  if (t_cache == &tc) t_cache = &g_no_cache;
  {
    ForkGuard gate;
    std::lock_guard lock(g_parked_mutex);
    tc.next_parked = g_parked;
    g_parked = &tc;
  }
  stats_thread_exit();
}

// Refills the thread's empty list for (kind, cls); false when out of memory.
bool refill(ThreadCache &tc, Kind kind, unsigned cls) {
  choose_link_keys();
  const SizeClass &c = size_class(cls);
  // A thread keeps up to c.cache_limit free blocks (about 128 KiB worth);
  // refills and overflows move half of that at a time.
  const std::uint32_t batch = c.cache_limit / 2;
  FreeList &fl = tc.list(kind, cls);
  {
    Central &central = g_central[static_cast<unsigned>(kind)][cls];
    ForkGuard gate;
    std::lock_guard lock(central.mutex);
    if (central.count != 0) {
      void *first = central.head;
      void *last = first;
      std::uint32_t n = 1;
      while (n < batch && link_next(last) != nullptr && intact(last)) {
        last = link_next(last);
        ++n;
      }
      central.head = intact(last) ? link_next(last) : nullptr;
      central.count = central.head == nullptr ? 0 : central.count - n;
      relink(last, fl.head);
      fl.head = first;
      fl.room -= static_cast<std::int32_t>(n);
      return true;
    }
  }
  Carve &cv = tc.carve[static_cast<unsigned>(kind)][cls];
  if (cv.span == nullptr || cv.next >= c.blocks) {
    char *span = arena_take_span(kind, cls);
    if (span == nullptr) return false;
    cv = Carve{span, 0};
  }
  std::uint32_t to = cv.next + batch < c.blocks ? cv.next + batch : c.blocks;
  void *last = nullptr;
  void *first = link_blocks(cv.span, c, cv.next, to, &last);
  relink(last, fl.head);
  fl.head = first;
  fl.room -= static_cast<std::int32_t>(to - cv.next);
  cv.next = to;
  return true;
}

}  // namespace

namespace {

// Counts an allocation or free of `bytes` for (tag, kind) and makes its row
// the one `fl` caches for the fast paths (when the row exists: a full
// statistics table counts in the shared overflow map instead).
void count_and_cache(FreeList &fl, std::uint32_t tag, Kind kind, std::size_t bytes, bool alloc) {
  StatRow *r = tag != 0 ? row_for(tag, kind) : nullptr;
  if (r == nullptr) return stats_overflow(stat_key(tag, kind), alloc, bytes);
  if (alloc) {
    stats_count_alloc(r, bytes);
  } else {
    stats_count_free(r, bytes);
  }
  fl.tag = tag;
  fl.row = r;
}

// Pops the head of the thread's non-empty list for (kind, cls) with every
// check of the fast path and the statistics row looked up (or made).
void *pop_checked(ThreadCache &tc, Kind kind, unsigned cls, std::size_t bytes, std::uint32_t tag,
                  bool cache_aligned, bool zero) {
  FreeList &fl = tc.list(kind, cls);
  void *p = fl.head;
  BlockMeta *entry = link_entry(p);
  if (entry == nullptr || entry->tag.load(std::memory_order_relaxed) != 0) [[unlikely]] {
    return heap_alloc_damaged(kind, cls, bytes, tag, cache_aligned, zero);
  }
  fl.head = link_next(p);
  ++fl.room;
  entry->size.store(static_cast<std::uint32_t>(bytes), std::memory_order_relaxed);
  entry->tag.store(tag, std::memory_order_relaxed);
  count_and_cache(fl, tag, kind, bytes, true);
  if (zero) std::memset(p, 0, bytes);
  return p;
}

}  // namespace

void *detail::heap_alloc_slow(Kind kind, std::size_t bytes, std::uint32_t tag,
                              bool cache_aligned, bool zero) {
  if (bytes > k_max_request) return nullptr;
  const unsigned cls = size_class_for(bytes, cache_aligned);
  if (cls == k_class_count) {
    void *p = large_alloc(kind, bytes, tag);  // fresh mappings are zero already
    if (p != nullptr) stats_alloc(tag, kind, bytes);
    return p;
  }
  ThreadCache *tc = own_cache();
  if (tc == nullptr) return nullptr;
  if (tc->list(kind, cls).head == nullptr && !refill(*tc, kind, cls)) {
    return nullptr;
  }
  return pop_checked(*tc, kind, cls, bytes, tag, cache_aligned, zero);
}

void *detail::heap_alloc_damaged(Kind kind, unsigned cls, std::size_t bytes,
                                  std::uint32_t tag, bool cache_aligned, bool zero) {
  FreeList &fl = t_cache->list(kind, cls);  // a cache of its own
  void *block = fl.head;
  const auto *w = static_cast<const std::uintptr_t *>(block);
  const std::uintptr_t w0 = w[0], w1 = w[1];
  fl.head = nullptr;  // dropped: nothing on it can be trusted any more
  fl.room = static_cast<std::int32_t>(size_class(cls).cache_limit);
  if (g_damage_hook != nullptr) g_damage_hook(block, w0, w1);
  return heap_alloc_slow(kind, bytes, tag, cache_aligned, zero);
}

FreeStatus detail::heap_free_slow(void *p, std::uint32_t expected_tag, BlockInfo *info) {
  if (segment_of(p) == nullptr) {
    LargeInfo li{};
    switch (large_free(p, expected_tag, &li)) {
      case LargeFree::NotFound: return FreeStatus::NotPool;
      case LargeFree::WrongTag:
        *info = BlockInfo{li.start, li.size, li.tag, li.kind};
        return FreeStatus::WrongTag;
      case LargeFree::Freed:
        stats_free(li.tag, li.kind, li.size);
        return FreeStatus::Freed;
    }
  }
  // Every check again, from the class table: the fast path leaves medium
  // classes, statistics rows other than the cached one, and every bad free.
  const auto offset = reinterpret_cast<std::uintptr_t>(p) & (k_segment_size - 1);
  Segment *seg = segment_header(p);
  const std::size_t span = offset / k_span_size;
  const unsigned cls = seg->spans[span].cls.load(std::memory_order_acquire);
  if (cls >= k_class_count) return FreeStatus::NotPool;
  // Exact: an address inside a block, or in page slack, is not a block start.
  const std::uint32_t index = block_index(size_class(cls), offset % k_span_size, true);
  if (index == UINT32_MAX) return FreeStatus::NotPool;
  BlockMeta &m = meta_entry(seg, span, index);
  const std::uint32_t tag = m.tag.load(std::memory_order_relaxed);
  const std::uint32_t size = m.size.load(std::memory_order_relaxed);
  const Kind kind = seg->kind;
  if (tag == 0 || (expected_tag != 0 && expected_tag != tag)) {
    *info = BlockInfo{p, size, tag, kind};
    return tag == 0 ? FreeStatus::NotLive : FreeStatus::WrongTag;
  }
  m.tag.store(0, std::memory_order_relaxed);
  ThreadCache *tc = own_cache();
  if (tc == nullptr) {  // no memory for a cache: straight to the central list
    stats_free(tag, kind, size);
    set_link(p, nullptr, &m);
    central_push(kind, cls, p, p, 1);
    return FreeStatus::Freed;
  }
  FreeList &fl = tc->list(kind, cls);
  count_and_cache(fl, tag, kind, size, false);
  set_link(p, fl.head, &m);
  fl.head = p;
  if (--fl.room < 0) flush(*tc, kind, cls, size_class(cls).cache_limit / 2);
  return FreeStatus::Freed;
}

bool heap_find(const void *p, BlockInfo *info) {
  Segment *seg = segment_of(p);
  if (seg == nullptr) {
    LargeInfo li{};
    if (large_find(p, false, &li)) {
      *info = BlockInfo{li.start, li.size, li.tag, li.kind};
      return true;
    }
    SpecialBlock sb{};
    if (!special_find(p, &sb)) return false;
    *info = BlockInfo{sb.start, sb.size, sb.tag, sb.kind};
    return true;
  }
  auto offset = static_cast<std::size_t>(static_cast<const char *>(p) - seg->base);
  unsigned cls = seg->spans[offset / k_span_size].cls.load(std::memory_order_acquire);
  if (cls >= k_class_count) return false;
  const SizeClass &c = size_class(cls);
  std::uint32_t index = block_index(c, offset % k_span_size, false);
  if (index == UINT32_MAX) return false;
  char *start = block_address(seg->base + offset / k_span_size * k_span_size, c, index);
  BlockMeta &m = meta_entry(seg, offset / k_span_size, index);
  std::uint32_t tag = m.tag.load(std::memory_order_relaxed);
  std::uint32_t size = m.size.load(std::memory_order_relaxed);
  if (tag == 0) return false;
  // A zero-byte request still owns its first byte.
  std::size_t extent = size == 0 ? 1 : size;
  if (static_cast<const char *>(p) >= start + extent) return false;
  *info = BlockInfo{start, size, tag, seg->kind};
  return true;
}

std::size_t heap_reserved_bytes() {
  std::size_t total = large_mapped_bytes();
  for (unsigned k = 0; k < k_kind_count; ++k) total += arena_reserved_bytes(static_cast<Kind>(k));
  return total;
}

}  // namespace nxpool::rt
