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

#include "arena.h"

namespace nxpool::rt {

// Largest request the heap attempts; anything bigger fails up front rather
// than asking the system for an impossible mapping.
inline constexpr std::size_t k_max_request = std::size_t{1} << 46;

// Allocates `bytes` (0 is served as 1) of pool `kind` for `tag` (non-zero).
// Small blocks are 16-byte aligned and never cross a 4 KiB page; blocks of a
// page or more are page-aligned; `cache_aligned` raises small blocks to 64
// bytes. The first `bytes` are zeroed when `zero` is set. Returns nullptr
// when memory is exhausted. Counts the allocation in the statistics.
void *heap_alloc(Kind kind, std::size_t bytes, std::uint32_t tag, bool cache_aligned, bool zero);

struct BlockInfo {
  void *start;
  std::size_t size;  // requested bytes
  std::uint32_t tag;
  Kind kind;
};

enum class FreeStatus {
  Freed,     // done; `info` describes the block
  NotPool,   // `p` is not the start of a pool block (info untouched)
  NotLive,   // `p` is the start of a pool block that is already free
  WrongTag,  // live block, but its tag differs from `expected_tag`; not freed
};

// Frees the block starting at `p`. `expected_tag` 0 accepts any tag.
FreeStatus heap_free(void *p, std::uint32_t expected_tag, BlockInfo *info);

// Finds the live block whose requested bytes contain `p`. Safe for any `p`.
bool heap_find(const void *p, BlockInfo *info);

// Memory the heap holds from the system: segment and large mappings, bytes.
std::size_t heap_reserved_bytes();

}  // namespace nxpool::rt
