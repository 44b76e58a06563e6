// Lookaside lists: per-list caches of fixed-size blocks (docs/mechanism.md §2.2,
// §6.2; issue 3 item 3).
//
// The list structure belongs to the caller (its size is ABI), so all state
// lives in GENERAL_LOOKASIDE: cached entries are chained through their first
// word from ListHead, Runtime[0] is a spin lock, Runtime[1] the number of
// cached entries. The
// critical sections are a handful of instructions (pop or push one entry,
// bump a counter) and never call out, so a spin lock that yields is cheaper
// than a mutex here and needs no constructor in C code's memory. The pool
// allocate/free callbacks always run outside the lock.
//
// The pool kind is fixed at initialisation and folded into Type: a nonpaged
// list is NX only when Flags carries POOL_NX_ALLOCATION, which is exactly
// what the header's opt-in wrapper adds for opted-in files. Depth is the
// most entries a list keeps (0 picks 256, Windows' ceiling for its dynamic
// depth); a free beyond it goes back to the pool.
//
// Tested by tests/runtime/lookaside_test.cpp.
#include <nxpool/wdm.h>

#include <sched.h>

#include <cstdint>
#include <cstring>

#include "pool_api.h"
#include "report.h"
#include "verifier.h"

namespace {

constexpr USHORT k_default_depth = 256;

struct Guard {
  explicit Guard(GENERAL_LOOKASIDE &l) : lock(&l.Runtime[0]) {
    while (__atomic_exchange_n(lock, reinterpret_cast<PVOID>(1), __ATOMIC_ACQUIRE) != nullptr) {
      while (__atomic_load_n(lock, __ATOMIC_RELAXED) != nullptr) sched_yield();
    }
  }
  ~Guard() { __atomic_store_n(lock, nullptr, __ATOMIC_RELEASE); }
  PVOID *lock;
};

std::uintptr_t count_of(const GENERAL_LOOKASIDE &l) {
  return reinterpret_cast<std::uintptr_t>(l.Runtime[1]);
}
void set_count(GENERAL_LOOKASIDE &l, std::uintptr_t n) { l.Runtime[1] = reinterpret_cast<PVOID>(n); }

void init_common(GENERAL_LOOKASIDE &l, ULONG type, ULONG flags, SIZE_T size, ULONG tag,
                 USHORT depth) {
  memset(&l, 0, sizeof l);
  // Every entry must hold the chain link while it is cached.
  if (size < sizeof(void *)) size = sizeof(void *);
  static_assert(sizeof l.Type == sizeof type);
  std::memcpy(&l.Type, &type, sizeof type);  // any bits, without an enum load
  l.Tag = tag;
  l.Size = static_cast<ULONG>(size);
  l.Flags = flags;
  l.Depth = l.MaximumDepth = depth != 0 ? depth : k_default_depth;
}

PVOID pop(GENERAL_LOOKASIDE &l) {
  Guard g(l);
  ++l.TotalAllocates;
  PVOID entry = l.ListHead;
  if (entry != nullptr) {
    l.ListHead = *static_cast<PVOID *>(entry);
    set_count(l, count_of(l) - 1);
  } else {
    ++l.AllocateMisses;
  }
  return entry;
}

// Returns true when the entry was cached; false means the caller frees it.
bool push(GENERAL_LOOKASIDE &l, PVOID entry) {
  Guard g(l);
  ++l.TotalFrees;
  if (count_of(l) >= l.Depth) {
    ++l.FreeMisses;
    return false;
  }
  *static_cast<PVOID *>(entry) = l.ListHead;
  l.ListHead = entry;
  set_count(l, count_of(l) + 1);
  return true;
}

// Detaches every cached entry; the caller frees the chain.
PVOID take_all(GENERAL_LOOKASIDE &l) {
  Guard g(l);
  PVOID chain = l.ListHead;
  l.ListHead = nullptr;
  set_count(l, 0);
  return chain;
}

// Allocation on a miss. `raise` is the list's POOL_RAISE_IF_ALLOCATION_FAILURE
// (or EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL): a custom callback returning
// NULL raises too, as the list promised its caller.
PVOID allocate_miss(GENERAL_LOOKASIDE &l, PLOOKASIDE_LIST_EX ex, const void *caller) {
  PVOID p;
  const ULONG type = nxpool::rt::pool_type_bits(l.Type);  // may hold modifier bits
  if (ex != nullptr) {
    p = l.AllocateEx != nullptr ? l.AllocateEx(static_cast<POOL_TYPE>(type), l.Size, l.Tag, ex)
                                : nxpool::rt::pool_alloc_with_tag(type, l.Size, l.Tag, caller);
  } else {
    p = l.Allocate != nullptr ? l.Allocate(static_cast<POOL_TYPE>(type), l.Size, l.Tag)
                              : nxpool::rt::pool_alloc_with_tag(type, l.Size, l.Tag, caller);
  }
  const bool raise = (type & POOL_RAISE_IF_ALLOCATION_FAILURE) != 0;
  const bool custom = ex != nullptr ? l.AllocateEx != nullptr : l.Allocate != nullptr;
  if (p == nullptr && raise && custom) nxpool::rt::raise_status(STATUS_INSUFFICIENT_RESOURCES, caller);
  return p;
}

void free_entry(GENERAL_LOOKASIDE &l, PLOOKASIDE_LIST_EX ex, PVOID entry) {
  if (ex != nullptr) {
    if (l.FreeEx != nullptr) {
      l.FreeEx(entry, ex);
      return;
    }
  } else if (l.Free != nullptr) {
    l.Free(entry);
    return;
  }
  ExFreePoolWithTag(entry, l.Tag);
}

void free_chain(GENERAL_LOOKASIDE &l, PLOOKASIDE_LIST_EX ex, PVOID chain) {
  while (chain != nullptr) {
    PVOID next = *static_cast<PVOID *>(chain);
    free_entry(l, ex, chain);
    chain = next;
  }
}

PVOID allocate_from(GENERAL_LOOKASIDE &l, PLOOKASIDE_LIST_EX ex, const void *caller) {
  PVOID p = pop(l);
  return p != nullptr ? p : allocate_miss(l, ex, caller);
}

void free_to(const void *list, GENERAL_LOOKASIDE &l, PLOOKASIDE_LIST_EX ex, PVOID entry,
             const void *caller) {
  if (nxpool::rt::verifier_flags() != 0) [[unlikely]] {
    // Only a list whose entries the pool allocates knows what they look like.
    const bool pool_entries = ex != nullptr ? l.AllocateEx == nullptr : l.Allocate == nullptr;
    if (pool_entries && !nxpool::rt::lookaside_entry_fits(list, entry, l.Tag, l.Size, caller)) {
      return;
    }
  }
  if (!push(l, entry)) free_entry(l, ex, entry);
}

}  // namespace

#define NXPOOL_CALLER __builtin_return_address(0)

extern "C" {

// ---- nonpaged ---------------------------------------------------------------

VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST list, PALLOCATE_FUNCTION allocate,
                                           PFREE_FUNCTION free, ULONG flags, SIZE_T size, ULONG tag,
                                           USHORT depth) {
  // Only the NX and raise bits mean anything for a nonpaged list.
  auto type = static_cast<ULONG>(NonPagedPoolExecute |
                                     (flags & (POOL_NX_ALLOCATION | POOL_RAISE_IF_ALLOCATION_FAILURE)));
  if (!nxpool::rt::lookaside_register(list, NXPOOL_CALLER)) return;
  init_common(list->L, type, flags, size, tag, depth);
  list->L.Allocate = allocate;
  list->L.Free = free;
}

VOID NTAPI ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST list) {
  if (!nxpool::rt::lookaside_unregister(list, NXPOOL_CALLER)) return;
  free_chain(list->L, nullptr, take_all(list->L));
}

PVOID NTAPI ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST list) {
  return allocate_from(list->L, nullptr, NXPOOL_CALLER);
}

VOID NTAPI ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST list, PVOID entry) {
  free_to(list, list->L, nullptr, entry, NXPOOL_CALLER);
}

// ---- paged ------------------------------------------------------------------

VOID NTAPI ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST list, PALLOCATE_FUNCTION allocate,
                                          PFREE_FUNCTION free, ULONG flags, SIZE_T size, ULONG tag,
                                          USHORT depth) {
  auto type = static_cast<ULONG>(PagedPool | (flags & POOL_RAISE_IF_ALLOCATION_FAILURE));
  if (!nxpool::rt::lookaside_register(list, NXPOOL_CALLER)) return;
  init_common(list->L, type, flags, size, tag, depth);
  list->L.Allocate = allocate;
  list->L.Free = free;
}

VOID NTAPI ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST list) {
  if (!nxpool::rt::lookaside_unregister(list, NXPOOL_CALLER)) return;
  free_chain(list->L, nullptr, take_all(list->L));
}

PVOID NTAPI ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST list) {
  return allocate_from(list->L, nullptr, NXPOOL_CALLER);
}

VOID NTAPI ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST list, PVOID entry) {
  free_to(list, list->L, nullptr, entry, NXPOOL_CALLER);
}

// ---- Ex family --------------------------------------------------------------

NTSTATUS NTAPI ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX list, PALLOCATE_FUNCTION_EX allocate,
                                           PFREE_FUNCTION_EX free, POOL_TYPE pool_type, ULONG flags,
                                           SIZE_T size, ULONG tag, USHORT depth) {
  constexpr ULONG known = EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL | EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE;
  if (list == nullptr || (flags & ~known) != 0 || flags == known || size == 0 ||
      size > 0xFFFFFFFFu) {
    return STATUS_INVALID_PARAMETER;
  }
  // The two flags map onto the pool-type modifier bits of the same meaning.
  ULONG type = nxpool::rt::pool_type_bits(pool_type);
  if (flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL) type |= POOL_RAISE_IF_ALLOCATION_FAILURE;
  if (flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) type |= POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
  if (!nxpool::rt::lookaside_register(list, NXPOOL_CALLER)) return STATUS_INVALID_PARAMETER;
  init_common(list->L, type, flags, size, tag, depth);
  list->L.AllocateEx = allocate;
  list->L.FreeEx = free;
  return STATUS_SUCCESS;
}

VOID NTAPI ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX list) {
  if (!nxpool::rt::lookaside_unregister(list, NXPOOL_CALLER)) return;
  free_chain(list->L, list, take_all(list->L));
}

PVOID NTAPI ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX list) {
  return allocate_from(list->L, list, NXPOOL_CALLER);
}

VOID NTAPI ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX list, PVOID entry) {
  free_to(list, list->L, list, entry, NXPOOL_CALLER);
}

VOID NTAPI ExFlushLookasideListEx(PLOOKASIDE_LIST_EX list) {
  free_chain(list->L, list, take_all(list->L));
}

}  // extern "C"
