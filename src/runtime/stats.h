// Statistics per (tag, pool kind), kept per thread and summed on read.
//
// poolmon, the tool Windows developers use to see who holds pool, splits
// only paged from nonpaged; the point of nxpool's table is the NX/executable
// split. Every allocation and free lands here, so the update must cost a few
// nanoseconds and never touch a cache line another thread writes: each
// thread owns a table of rows (open addressing; per pool kind the last row
// used is cached, and each of the heap's thread free lists caches the row
// its fast paths count into, heap.h), updated
// without locked instructions: on x86-64 each counter is one add or
// subtract on memory, elsewhere a relaxed load and store. A row keeps
// allocs, frees, peak, and headroom and released (net bytes = peak -
// headroom - released; allocations lower headroom, frees raise released),
// so an allocation tests for a new peak with the sign of one sum. Readers
// walk every table under the registry mutex and sum, so a reader sees exact
// totals of everything that happened before it read.
//
// A thread's table outlives the thread: on exit it is parked and handed to
// the next new thread, so counts are never lost and thread churn does not
// grow memory. Tables that fill up (more than 3/4 of k_rows distinct keys in
// one thread) spill into a shared overflow map under a mutex.
//
// Tested by tests/runtime/stats_test.cpp.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "arena.h"

namespace nxpool::rt {

struct StatRow {
  std::atomic<std::uint64_t> key{0};  // 0 = empty, else tag << 8 | (kind + 1)
  std::atomic<std::uint64_t> allocs{0};
  std::atomic<std::uint64_t> frees{0};
  // This thread's net bytes (may go negative) are peak - (headroom +
  // released): an allocation subtracts its size from headroom and, only
  // when headroom + released goes below 0, raises peak by the difference
  // (and sets both to 0); a free adds its size to released. Allocations and
  // frees each update a counter of their own, so a batch of them is not one
  // chain of read-modify-writes through one memory word.
  std::atomic<std::int64_t> peak{0};
  std::atomic<std::int64_t> headroom{0};
  std::atomic<std::int64_t> released{0};
};

namespace detail {

// Per pool kind, the row the calling thread used last for that kind: the
// inline fast path below. tag 0 (no live block has it) means "none", with
// row nullptr; a non-zero tag always comes with its row.
struct StatCache {
  std::uint32_t tag;
  StatRow *row;
};
// Initial-exec: with the default model in position-independent code the
// compiler treats every access as a call (__tls_get_addr) and saves
// registers around it on the fast path, even where the linker later turns
// it into a plain %fs-relative load. A few bytes, so a library built from
// this archive and loaded with dlopen still fits glibc's static TLS surplus.
[[gnu::tls_model("initial-exec")]] inline constinit thread_local StatCache
    t_stat_cache[k_kind_count]{};

inline std::uint64_t stat_key(std::uint32_t tag, Kind kind) {
  return (std::uint64_t{tag} << 8) | (static_cast<unsigned>(kind) + 1);
}

// Finds or creates the calling thread's row (and caches it for its kind, when
// the tag is not 0); nullptr when the thread's table is full and the key is new.
StatRow *stats_row(std::uint64_t key);
void stats_overflow(std::uint64_t key, bool is_alloc, std::size_t bytes);

// Only the owning thread writes a row, so relaxed load + store (plain moves)
// is enough; readers tolerate a stale value.
template <class T>
inline void bump(std::atomic<T> &a, T delta) {
  a.store(a.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

// The calling thread's row for `tag` and `kind` when it is the one used
// last for that kind, else nullptr.
inline StatRow *cached_row(std::uint32_t tag, Kind kind) {
  const StatCache &c = t_stat_cache[static_cast<unsigned>(kind)];
  return c.tag == tag ? c.row : nullptr;
}

inline StatRow *row_for(std::uint32_t tag, Kind kind) {
  StatRow *r = tag != 0 ? cached_row(tag, kind) : nullptr;
  return r != nullptr ? r : stats_row(stat_key(tag, kind));
}

}  // namespace detail

namespace detail {

// The counting itself, on a row the caller already has (the heap's fast
// paths check the cached row first and count only when it matches).
// The owner's updates as single read-modify-write instructions on x86-64:
// compilers keep a relaxed load and store apart (three instructions each).
// Not locked, because no other thread writes the row; an aligned 8-byte
// add is still seen whole by a reader's atomic load. Elsewhere, bump().
template <class T>
inline void own_add(std::atomic<T> &a, T delta) {
#if defined(__x86_64__)
  static_assert(sizeof(T) == 8 && sizeof(std::atomic<T>) == 8);
  asm("addq %1, %0" : "+m"(a) : "er"(delta));
#else
  bump<T>(a, delta);
#endif
}
inline void stats_count_alloc(StatRow *r, std::size_t bytes) {
  own_add<std::uint64_t>(r->allocs, 1);
  const std::int64_t headroom =
      r->headroom.load(std::memory_order_relaxed) - static_cast<std::int64_t>(bytes);
  r->headroom.store(headroom, std::memory_order_relaxed);
  const std::int64_t left = headroom + r->released.load(std::memory_order_relaxed);
  if (left < 0) [[unlikely]] {
    // A new peak: raise it by what the headroom went below 0.
    bump<std::int64_t>(r->peak, -left);
    r->headroom.store(0, std::memory_order_relaxed);
    r->released.store(0, std::memory_order_relaxed);
  }
}
inline void stats_count_free(StatRow *r, std::size_t bytes) {
  own_add<std::uint64_t>(r->frees, 1);
  own_add<std::int64_t>(r->released, static_cast<std::int64_t>(bytes));
}

}  // namespace detail

inline void stats_alloc(std::uint32_t tag, Kind kind, std::size_t bytes) {
  StatRow *r = detail::row_for(tag, kind);
  if (r == nullptr) return detail::stats_overflow(detail::stat_key(tag, kind), true, bytes);
  detail::stats_count_alloc(r, bytes);
}

inline void stats_free(std::uint32_t tag, Kind kind, std::size_t bytes) {
  StatRow *r = detail::row_for(tag, kind);
  if (r == nullptr) return detail::stats_overflow(detail::stat_key(tag, kind), false, bytes);
  detail::stats_count_free(r, bytes);
}

// Parks the calling thread's table for reuse (called at thread exit).
void stats_thread_exit();

}  // namespace nxpool::rt
