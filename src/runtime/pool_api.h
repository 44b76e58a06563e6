// Layer 5: entry points of pool_api.cpp for the runtime's own callers
// (lookaside lists), which hold pool types as integers.
#pragma once

#include <nxpool/wdm.h>

#include <cstdint>

namespace nxpool::rt {

// ExAllocatePoolWithTag with the pool type as the integer it is.
void *pool_alloc_with_tag(ULONG type, SIZE_T bytes, ULONG tag, const void *caller);

// The simulated physical address behind an I/O-space mapping or contiguous
// allocation (iospace.cpp); false for any other address.
bool iospace_physical(const void *p, std::uint64_t *pa);

// A POOL_TYPE value read as an integer: drivers OR modifier bits into pool
// types, giving values outside the enumeration, and loading such a value as
// the enum type is undefined in C++ (UBSan's -fsanitize=enum reports it).
inline ULONG pool_type_bits(const POOL_TYPE &type) {
  static_assert(sizeof(POOL_TYPE) == sizeof(ULONG));
  ULONG v;
  __builtin_memcpy(&v, &type, sizeof v);
  return v;
}

}  // namespace nxpool::rt
