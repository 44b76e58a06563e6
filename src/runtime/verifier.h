// Layer 5 (beside the API): Driver-Verifier-style checks.
//
// Verifier options as `verifier /flags` numbers them (nxpool/runtime.h):
//  * code integrity (0x02000000): a request for executable pool is bug check
//    0xC4/0x2000, an executable page protection 0xC4/0x2001 (iospace.cpp), a
//    kernel MDL mapping without MdlMappingNoExecute 0xC4/0x2002 (docs/mechanism.md §8.2);
//  * pool tracking (0x8, tracking.cpp): every live allocation keeps tag,
//    size, kind and caller; nxpool_verify_unload() with any outstanding is
//    0xC4/0x62;
//  * low resources simulation (0x4, verifier.cpp): seeded injected failures;
//  * special pool (0x1, special_pool.cpp over special.h): blocks alone on a
//    page between no-access guard pages, fill checked at free, freed pages
//    quarantined; faults there are bug checks 0xD6/0xCC, damage 0xC1.
// With any option on, the automatic checks run as well: a zero-byte request
// is 0xC4/0x00, a tag with no letter or digit 0xC2/0x9D, the reserved tag
// "BIG" 0xC2/0x9C. Every check sits behind one relaxed load of the flag
// word on the slow path: with all options off, nothing here runs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <nxpool/wdm.h>

namespace nxpool::rt {

enum class Kind : std::uint8_t;

inline constexpr ULONG k_driver_verifier_violation = 0xC4;
inline constexpr ULONG_PTR k_dv_zero_bytes = 0x00;
inline constexpr ULONG_PTR k_dv_executable_pool = 0x2000;
inline constexpr ULONG_PTR k_dv_executable_protection = 0x2001;
inline constexpr ULONG_PTR k_dv_executable_mdl_mapping = 0x2002;
inline constexpr ULONG_PTR k_dv_unload_with_allocations = 0x62;
inline constexpr ULONG_PTR k_dv_lookaside_reinitialised = 0xCA;
inline constexpr ULONG_PTR k_dv_lookaside_not_initialised = 0xCB;
inline constexpr ULONG_PTR k_dv_lookaside_in_freed_pool = 0xCC;
// Invalid parameters to a memory routine: an entry freed to a lookaside
// list it did not come from.
inline constexpr ULONG_PTR k_dv_bad_memory_parameter = 0x16;
// Freeing or unmapping an address no allocation or mapping call returned.
inline constexpr ULONG_PTR k_dv_bad_free_address = 0x10;

// Special pool's bug checks; 0xC1's fourth parameter says what was found.
inline constexpr ULONG k_special_pool_corruption = 0xC1;
inline constexpr ULONG k_freed_special_pool = 0xCC;
inline constexpr ULONG k_beyond_end_of_allocation = 0xD6;
inline constexpr ULONG_PTR k_sp_not_allocated = 0x20;
inline constexpr ULONG_PTR k_sp_bad_address = 0x21;
inline constexpr ULONG_PTR k_sp_nearby_damaged = 0x23;
inline constexpr ULONG_PTR k_sp_after_end_damaged = 0x24;

// The options this runtime implements; other bits warn and are ignored.
inline constexpr ULONG k_verifier_implemented = NXPOOL_VERIFIER_SPECIAL_POOL |
                                                NXPOOL_VERIFIER_LOW_RESOURCES |
                                                NXPOOL_VERIFIER_POOL_TRACKING |
                                                NXPOOL_VERIFIER_CODE_INTEGRITY;

// Hidden: read on every allocation and free, so no GOT indirection in PIC builds.
[[gnu::visibility("hidden")]] extern std::atomic<ULONG> g_verifier_flags;

inline ULONG verifier_flags() { return g_verifier_flags.load(std::memory_order_relaxed); }

inline bool code_integrity_checks() {
  return (verifier_flags() & NXPOOL_VERIFIER_CODE_INTEGRITY) != 0;
}

// The automatic checks (zero bytes, tags) for a request; false after a bug
// check whose handler returned, when the request must fail.
bool verify_request(ULONG type_or_flags, SIZE_T bytes, ULONG tag, const void *caller);

// Low resources simulation: true when this allocation must fail (counts it).
bool inject_failure(ULONG tag);

// Special pool (special_pool.cpp): whether this request goes there (tag
// and size filters), the allocation (nullptr: use the normal pool), and the
// free of an address in the special pool region, with its bug checks.
bool special_wanted(ULONG tag, SIZE_T bytes);
void *special_pool_alloc(Kind kind, SIZE_T bytes, ULONG tag, bool cache_aligned);
void special_pool_free(void *p, ULONG tag, const void *caller);

// Settings from the environment: a number (fallback, with a warning, when
// malformed) and a tag as four characters in poolmon order (0 when unset).
std::uint64_t env_number(const char *name, std::uint64_t fallback);
ULONG env_tag(const char *name);

// Pool tracking: record a successful allocation / forget a freed block.
void track_alloc(const void *p, SIZE_T bytes, ULONG tag, Kind kind, const void *caller);
void track_free(const void *p);

// Live lookaside lists (lookaside_registry.cpp). register/unregister bug
// check 0xC4/0xCA (already live) and 0xCB (not live) and return false when
// the handler returns; lookaside_within finds a live list inside a block.
bool lookaside_register(const void *list, const void *caller);
bool lookaside_unregister(const void *list, const void *caller);
const void *lookaside_within(const void *block, std::size_t bytes);
// An entry freed to a list whose entries come from the pool must be a live
// pool block of the list's tag and entry size; otherwise bug check
// 0xC4/0x16 and false (the free must not happen).
bool lookaside_entry_fits(const void *list, const void *entry, ULONG tag, std::size_t size,
                          const void *caller);

}  // namespace nxpool::rt
