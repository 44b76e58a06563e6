/*
 * nxpool/memory.h - I/O-space mappings and physically contiguous memory.
 *
 * libnxpool simulates a physical address space: one sparse shared-memory
 * object whose byte offsets are physical addresses. Every MmMapIoSpace*
 * view and every contiguous allocation is a mapping of those pages, so two
 * views of the same physical address see each other's writes, as on real
 * hardware. Physical pages read as zero until written. Forked children
 * share the simulated physical memory (as they would share a device).
 *
 * Protections are real page protections: PAGE_READONLY views are read-only,
 * PAGE_EXECUTE* views are executable, the rest are not. The calls without a
 * protection argument (MmMapIoSpace, MmAllocateContiguousMemory,
 * ...SpecifyCache, ...SpecifyCacheNode) always give executable memory, as
 * on Windows; they are the calls compiler warning C30029 bans.
 *
 * With the code-integrity verifier on (NXPOOL_VERIFIER_CODE_INTEGRITY in
 * <nxpool/runtime.h>), every request for executable memory here - a
 * PAGE_EXECUTE* protection, or one of the always-executable calls - is bug
 * check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION, P1 0x2001, P2 the caller,
 * P3 the protection asked for (for the always-executable calls, the one they
 * imply: PAGE_EXECUTE_READWRITE plus PAGE_NOCACHE or PAGE_WRITECOMBINE from
 * the caching type), P4 0; with a handler that returns, the call returns
 * NULL.
 *
 * Caching types and PAGE_NOCACHE / PAGE_WRITECOMBINE are validated and then
 * have no further effect (user-mode memory is always cached).
 * All functions may be called from any thread.
 *
 * C11- and C++-clean.
 */
#ifndef NXPOOL_MEMORY_H
#define NXPOOL_MEMORY_H

#include "ntdef.h"
#include "mdl.h" /* MEMORY_CACHING_TYPE and the PAGE_* protections */

NXPOOL_EXTERN_C_BEGIN

typedef ULONG NODE_REQUIREMENT;
#define MM_ANY_NODE_OK 0x80000000UL

/* ---- I/O space ------------------------------------------------------------
 * Maps NumberOfBytes of physical address space starting at PhysicalAddress
 * (any alignment; the result has the same offset within its page). Returns
 * NULL for 0 bytes, a negative address or a mapping the system refuses.
 *
 * MmMapIoSpaceEx's Protect is exactly one of PAGE_READONLY, PAGE_READWRITE,
 * PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, optionally ORed
 * with one of PAGE_NOCACHE, PAGE_WRITECOMBINE; anything else returns NULL.
 * MmMapIoSpace maps read/write/execute.
 *
 * MmUnmapIoSpace takes the address and size that the mapping call returned
 * and was given. An address that is not a live I/O-space mapping, or a size
 * that differs, is bug check 0xC4, P1 0x10, P2 the address, P3 the size
 * given, P4 the mapping's size (0 when there is none); with a handler that
 * returns, nothing is unmapped. */
NTKERNELAPI PVOID NTAPI MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
                                     MEMORY_CACHING_TYPE CacheType);
NTKERNELAPI PVOID NTAPI MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
                                       ULONG Protect);
NTKERNELAPI VOID NTAPI MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);

/* ---- physically contiguous memory ------------------------------------------
 * Page-aligned, zero-filled memory whose simulated physical pages are
 * consecutive, lie within [LowestAcceptableAddress, HighestAcceptableAddress]
 * and, when BoundaryAddressMultiple is non-zero (a power of two), do not
 * cross a multiple of it. NULL for 0 bytes, a range that cannot hold the
 * request, or an invalid Protect / CacheType.
 *
 * MmAllocateContiguousNodeMemory's Protect is PAGE_READWRITE (no-execute) or
 * PAGE_EXECUTE_READWRITE, optionally ORed with one of PAGE_NOCACHE,
 * PAGE_WRITECOMBINE. PreferredNode is a node number or MM_ANY_NODE_OK; the
 * simulation has one node and accepts any value.
 *
 * MmFreeContiguousMemory (and ...SpecifyCache, whose size and caching type
 * are not needed) takes the address an allocator returned; anything else is
 * bug check 0xC4, P1 0x10, P2 the address; with a handler that returns, the
 * call does nothing. */
NTKERNELAPI PVOID NTAPI MmAllocateContiguousMemory(SIZE_T NumberOfBytes,
                                                   PHYSICAL_ADDRESS HighestAcceptableAddress);
NTKERNELAPI PVOID NTAPI MmAllocateContiguousMemorySpecifyCache(
    SIZE_T NumberOfBytes, PHYSICAL_ADDRESS LowestAcceptableAddress,
    PHYSICAL_ADDRESS HighestAcceptableAddress, PHYSICAL_ADDRESS BoundaryAddressMultiple,
    MEMORY_CACHING_TYPE CacheType);
NTKERNELAPI PVOID NTAPI MmAllocateContiguousMemorySpecifyCacheNode(
    SIZE_T NumberOfBytes, PHYSICAL_ADDRESS LowestAcceptableAddress,
    PHYSICAL_ADDRESS HighestAcceptableAddress, PHYSICAL_ADDRESS BoundaryAddressMultiple,
    MEMORY_CACHING_TYPE CacheType, NODE_REQUIREMENT PreferredNode);
NTKERNELAPI PVOID NTAPI MmAllocateContiguousNodeMemory(
    SIZE_T NumberOfBytes, PHYSICAL_ADDRESS LowestAcceptableAddress,
    PHYSICAL_ADDRESS HighestAcceptableAddress, PHYSICAL_ADDRESS BoundaryAddressMultiple,
    ULONG Protect, NODE_REQUIREMENT PreferredNode);
NTKERNELAPI VOID NTAPI MmFreeContiguousMemory(PVOID BaseAddress);
NTKERNELAPI VOID NTAPI MmFreeContiguousMemorySpecifyCache(PVOID BaseAddress, SIZE_T NumberOfBytes,
                                                          MEMORY_CACHING_TYPE CacheType);

/* The simulated physical address behind any byte of a contiguous
 * allocation, an I/O-space mapping or a small pool block (pool segments are
 * simulated physical memory too); 0 for any other address. */
NTKERNELAPI PHYSICAL_ADDRESS NTAPI MmGetPhysicalAddress(PVOID BaseAddress);

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_MEMORY_H */
