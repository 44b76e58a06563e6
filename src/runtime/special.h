// Layer 3c: special pool pages - Driver Verifier's option 0x1 as memory.
//
// One reserved, initially inaccessible region of alternating pages:
//
//   guard | data 0 | guard | data 1 | guard | ... | data N-1 | guard
//
// Each special-pool block is alone on a data page ("slot"), so every block
// has a no-access page on both sides. Overrun mode puts the block's end
// against the guard page after it (rounded up to the pool alignment, so up
// to alignment-1 bytes of slack remain after it); underrun mode puts its
// start on the page's first byte, against the guard before it. The rest of
// the page is filled with a pattern that special_free checks. A freed
// slot's page becomes no-access again and waits in a FIFO quarantine
// before it may hold another block, so a late touch of a freed block
// faults instead of reading someone else's data.
//
// This layer only manages pages and answers questions; the API layer turns
// its answers into bug checks (special_pool.cpp). special_fault_at and
// special_open_page take no lock and are safe in a signal handler.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arena.h"

namespace nxpool::rt {

// Largest request special pool serves: one page, as on Windows. Larger
// requests go to the normal pool.
inline constexpr std::size_t k_special_max_bytes = 4096;

// Number of slots in the region (the region reserves twice as many pages).
inline constexpr std::size_t k_special_slots = 16384;

// The fill byte of a block's page outside the block.
inline constexpr unsigned char k_special_fill = 0xA7;

// Places a block of `bytes` (1..k_special_max_bytes) on a fresh slot; its
// bytes read as zero. nullptr when no slot is free (the quarantine holds
// the rest) or the system refuses; the caller then uses the normal pool.
void *special_alloc(Kind kind, std::size_t bytes, std::uint32_t tag, bool cache_aligned,
                    bool underrun);

// True when `p` lies anywhere in the special pool region.
bool special_contains(const void *p);

struct SpecialBlock {
  void *start;
  std::size_t size;  // requested bytes
  std::uint32_t tag;
  Kind kind;
  const void *damaged;   // Damaged: the first byte of the fill that changed
  std::size_t to_page_end;  // BadAddress: bytes from `p` to its page's end
};

enum class SpecialFree {
  Freed,
  WrongTag,      // live block, other tag: not freed
  FreedBefore,   // the slot is quarantined (a stale or double free)
  NotAllocated,  // a guard page or a slot that holds no block
  BadAddress,    // inside a live block's page, but not its start
  Damaged,       // the fill around the block changed: not freed
};

// Frees the block starting at `p` (special_contains(p) must hold). `info`
// is filled for every outcome except NotAllocated.
SpecialFree special_free(void *p, std::uint32_t expected_tag, SpecialBlock *info);

// The live block whose requested bytes contain `p`.
bool special_find(const void *p, SpecialBlock *info);

enum class SpecialFault { NotOurs, Guard, Freed };

// What a fault at `addr` touched; `block` gets the block it belongs to (the
// live block a guard page borders in the direction of its mode, or the freed
// slot's page), or nullptr. Lock-free, async-signal-safe.
SpecialFault special_fault_at(const void *addr, const void **block);

// Makes the page at `addr` accessible for good (after a bug-check handler
// returned) and retires the slots beside it: they are never reused.
// Async-signal-safe.
void special_open_page(const void *addr);

// The quarantine length: freed slots kept no-access before reuse.
void special_set_quarantine(std::size_t slots);

}  // namespace nxpool::rt
