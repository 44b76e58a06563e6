// Layer 1b: the simulated physical address space.
//
// Windows drivers map device memory (MmMapIoSpace*) and allocate physically
// contiguous buffers; both name *physical* addresses, which user mode has
// none of. The simulation is one sparse memfd: a byte offset in it is a
// physical address, and every view of physical memory is a MAP_SHARED
// mapping of the file at that offset - so two views of one address see each
// other's writes, each with its own page protection, as on real hardware.
// Untouched pages cost nothing and read as zero.
//
// Physical pages for contiguous allocations come from a first-fit allocator
// over [k_phys_first, k_phys_limit); freed pages are punched out of the file
// (their memory goes back, they read zero again). Addresses outside any
// allocation are "device memory": mappable, never handed out by the
// allocator unless free.
//
// Thread-safe; the allocator's lock is also held under the fork gate.
// Tested by tests/runtime/iospace_test.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nxpool::rt {

inline constexpr std::uint64_t k_phys_first = 0x100000;        // 1 MiB: never hand out page 0
inline constexpr std::uint64_t k_phys_limit = 1ull << 40;      // 1 TiB of address space

// Maps [pa, pa + bytes) with the PROT_* bits `prot`; pa and bytes are
// page-aligned. nullptr when the range is outside the space or mmap fails.
void *phys_map(std::uint64_t pa, std::size_t bytes, int prot);

// Same, at the fixed address `at` (replacing whatever is mapped there).
bool phys_map_at(void *at, std::uint64_t pa, std::size_t bytes, int prot);

// Unmaps a view made by phys_map.
void phys_unmap(void *view, std::size_t bytes);

// Takes `bytes` (page-aligned) of consecutive free physical pages, the
// lowest that fit within [lowest, highest] without crossing a multiple of
// `boundary` (0: no boundary). False when none fit.
bool phys_take(std::uint64_t lowest, std::uint64_t highest, std::uint64_t boundary,
               std::size_t bytes, std::uint64_t *pa);

// Returns pages taken by phys_take; their contents are discarded.
void phys_give_back(std::uint64_t pa, std::size_t bytes);

}  // namespace nxpool::rt
