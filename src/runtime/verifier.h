// Layer 5 (beside the API): Driver-Verifier-style checks.
//
// Only the "code integrity" class (verifier flag 0x02000000, docs/mechanism.md §8.2)
// is modelled: with it on, a request for executable pool bug-checks
// 0xC4/0x2000 and a kernel MDL mapping without MdlMappingNoExecute
// 0xC4/0x2002, the way Driver Verifier stops a driver that memory integrity
// (HVCI) would refuse. Off by default; NXPOOL_VERIFIER or
// nxpool_set_verifier_flags() turn it on.
#pragma once

#include <atomic>

#include <nxpool/wdm.h>

namespace nxpool::rt {

inline constexpr ULONG k_driver_verifier_violation = 0xC4;
inline constexpr ULONG_PTR k_dv_executable_pool = 0x2000;
inline constexpr ULONG_PTR k_dv_executable_protection = 0x2001;
// Freeing or unmapping an address no allocation or mapping call returned.
inline constexpr ULONG_PTR k_dv_bad_free_address = 0x10;
inline constexpr ULONG_PTR k_dv_executable_mdl_mapping = 0x2002;

extern std::atomic<ULONG> g_verifier_flags;

inline bool code_integrity_checks() {
  return (g_verifier_flags.load(std::memory_order_relaxed) & NXPOOL_VERIFIER_CODE_INTEGRITY) != 0;
}

}  // namespace nxpool::rt
