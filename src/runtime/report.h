// Layer 5 (beside the front end): bug checks and raises in user mode.
//
// The runtime detects pool misuse (a bad free, a zero tag, a must-succeed
// request) and allocation failures that must raise. Both go through here so
// that a single place decides between the installed handler and the default
// report-and-abort, and so the report can name the *driver's* call site: the
// public entry points capture their return address and pass it down.
//
// Both functions return only when an installed handler returned (or never,
// when it throws or the default aborts). They are called with no runtime lock
// held, so a handler may re-enter the pool.
#pragma once

#include <nxpool/wdm.h>

namespace nxpool::rt {

void bugcheck(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4,
              const void *caller);
void raise_status(NTSTATUS status, const void *caller);

// BAD_POOL_HEADER: a damaged free list (P1 3).
inline constexpr ULONG k_bad_pool_header = 0x19;
inline constexpr ULONG_PTR k_bph_free_list_damaged = 0x3;

// BAD_POOL_CALLER and the first parameters the runtime issues.
inline constexpr ULONG k_bad_pool_caller = 0xC2;
inline constexpr ULONG_PTR k_bpc_double_free = 0x07;
inline constexpr ULONG_PTR k_bpc_wrong_tag = 0x0A;
inline constexpr ULONG_PTR k_bpc_not_pool = 0x46;
inline constexpr ULONG_PTR k_bpc_must_succeed = 0x9A;
inline constexpr ULONG_PTR k_bpc_zero_tag = 0x9B;
inline constexpr ULONG_PTR k_bpc_reserved_tag = 0x9C;
inline constexpr ULONG_PTR k_bpc_tag_not_alphanumeric = 0x9D;

// Writes `tag` as poolmon shows it: its four bytes in memory (little-endian)
// order, so a driver's '1gaT' reads "Tag1"; non-printable bytes become '.'.
void format_tag(ULONG tag, char out[5]);

}  // namespace nxpool::rt
