// Layer 3b: large blocks, more than one span (64 KiB).
//
// Each large block is its own page-aligned mapping with its kind's
// protection, and goes back to the system (munmap) the moment it is freed, so
// a driver that briefly needs megabytes does not keep them. Large blocks are
// few and each costs a system call anyway, so an ordered map under one mutex
// is enough to find them again (for frees, for nxpool_is_executable, and for
// interior pointers).
//
// Tested by tests/runtime/pool_alloc_test.cpp (large sizes, alignment,
// executability) and the stress test.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arena.h"

namespace nxpool::rt {

struct LargeInfo {
  void *start;
  std::size_t size;  // requested bytes
  std::uint32_t tag;
  Kind kind;
};

// Maps a large block; nullptr when the system refuses.
void *large_alloc(Kind kind, std::size_t bytes, std::uint32_t tag);

// Looks up the block containing `p` (anywhere in its requested bytes when
// `exact` is false, only its start when true).
bool large_find(const void *p, bool exact, LargeInfo *info);

enum class LargeFree { Freed, NotFound, WrongTag };

// Frees the block starting at `p` if `expected_tag` is 0 or matches; fills
// `info` in every case where the block exists.
LargeFree large_free(void *p, std::uint32_t expected_tag, LargeInfo *info);

// Bytes currently mapped for large blocks.
std::size_t large_mapped_bytes();

}  // namespace nxpool::rt
