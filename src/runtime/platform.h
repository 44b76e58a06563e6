// Layer 1: the operating system's page primitives, and nothing else.
//
// Every byte the pool hands out comes from here. A mapping is created once
// with its final protection and is never re-protected: switching a page
// between executable and non-executable costs microseconds and would let a
// block briefly be both writable and executable for the wrong kind. The
// layers above therefore keep one arena per protection (see arena.h).
//
// Functions return a null pointer or false on failure and never print; the
// caller decides whether a failure is a NULL return, a raise or a bug check.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nxpool::rt {

// Page protections the runtime uses. Exec means read+write+execute: pool
// memory is always writable, executable kinds additionally allow execution.
enum class Protection : std::uint8_t { ReadWrite, ReadWriteExec };

inline constexpr std::size_t k_page_size = 4096;  // the pool's page, also the
                                                  // alignment promise for
                                                  // blocks of a page or more

// Maps `bytes` (a multiple of k_page_size) of zero-filled memory aligned to
// `alignment` (a power of two, at least k_page_size). Returns nullptr when the
// system refuses.
void *os_map(std::size_t bytes, std::size_t alignment, Protection prot);

// Same, for bookkeeping memory that is never executable and is committed only
// when touched (MAP_NORESERVE): side tables sized for the worst case.
void *os_map_metadata(std::size_t bytes);

// Makes [p, p + bytes) of a fresh os_map mapping read/write/execute. Called
// once per executable segment, before any block in it exists - never per
// allocation. False when the system refuses.
bool os_protect_exec(void *p, std::size_t bytes);

// Special pool only (special.h), the one deliberate exception to "never
// re-protected": its pages change between no-access and their kind's
// protection on every allocation and free, because catching the touch of a
// freed or neighbouring page is the whole point of that Verifier option.
// os_reserve_noaccess reserves `bytes` of inaccessible address space (no
// memory is committed); os_page_access sets [p, p + bytes) to `prot`, or to
// no access when `accessible` is false; os_discard drops the contents of
// pages (they read as zero when next accessible). os_page_access is a bare
// system call, safe in a signal handler.
void *os_reserve_noaccess(std::size_t bytes);
bool os_page_access(void *p, std::size_t bytes, bool accessible, Protection prot);
void os_discard(void *p, std::size_t bytes);

// Returns a mapping made by os_map/os_map_metadata to the system.
void os_unmap(void *p, std::size_t bytes);

}  // namespace nxpool::rt
