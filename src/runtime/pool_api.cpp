// Layer 5: the WDK allocation API - POOL_TYPE and POOL_FLAGS rules on top of
// the heap (docs/mechanism.md §5).
//
// What this file decides, and why:
//  * Kind: a POOL_TYPE is a bit set (1 paged, 2 must-succeed, 4 cache
//    aligned, 32 session, 512 no-execute). Nonpaged without 512 is
//    executable - NonPagedPool is 0 - and session types follow the same rule
//    (their executability is unconfirmed, docs/mechanism.md §5.1; the bit layout says
//    executable). Paged pool is its own kind, non-executable on x86-64 and
//    AArch64 (arena.cpp). For ExAllocatePool2/3 exactly one of
//    POOL_FLAG_NON_PAGED (NX), _NON_PAGED_EXECUTE and _PAGED is required.
//  * Failures: legacy allocators return NULL, or raise when the type carries
//    POOL_RAISE_IF_ALLOCATION_FAILURE; quota allocators raise unless
//    POOL_QUOTA_FAIL_INSTEAD_OF_RAISE; Pool2/3 raise with
//    POOL_FLAG_RAISE_ON_FAILURE. Memory exhaustion raises
//    STATUS_INSUFFICIENT_RESOURCES, invalid arguments to Pool2/3
//    STATUS_INVALID_PARAMETER (the status Windows raises there is not
//    documented).
//  * Misuse is a bug check, as Driver Verifier would make it: a must-succeed
//    type (0xC2/0x9A), tag 0 to a tagged legacy allocator (0xC2/0x9B). Tag 0
//    to Pool2/3 is a documented plain failure instead.
//  * Zero bytes are served as the smallest block (what Windows does without
//    Verifier is unconfirmed, docs/mechanism.md §5.2); the block still has to be freed.
//  * Unknown POOL_TYPE bits fail the call: an accident such as passing a
//    POOL_FLAGS value as a POOL_TYPE should not silently pick a kind.
//
// Tested by tests/runtime/pool_alloc_test.cpp, pool_flags_test.cpp,
// pool_free_test.cpp and bugcheck_test.cpp.
#include <nxpool/wdm.h>

#include <cstring>

#include "heap.h"
#include "pool_api.h"
#include "report.h"
#include "special.h"
#include "verifier.h"

#ifdef ExFreePool
#undef ExFreePool  // compat/ntddk.h's macro form; here we define the function
#endif

// The runtime decodes raw pool-type values; it must never be opted in.
static_assert(NonPagedPool == 0, "libnxpool must be built without the NX opt-in");

namespace nxpool::rt {
namespace {

constexpr ULONG k_untagged = 0x656E6F4E;  // 'None': what untagged calls record

constexpr ULONG k_type_paged = 1, k_type_must_succeed = 2, k_type_cache_aligned = 4,
                k_type_session = 32;
constexpr ULONG k_known_type_bits = k_type_paged | k_type_must_succeed | k_type_cache_aligned |
                                    k_type_session | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE |
                                    POOL_RAISE_IF_ALLOCATION_FAILURE | POOL_COLD_ALLOCATION |
                                    POOL_NX_ALLOCATION | POOL_ZERO_ALLOCATION;

constexpr Kind kind_of_type(ULONG type) {
  if (type & k_type_paged) return Kind::Paged;
  return (type & POOL_NX_ALLOCATION) ? Kind::Nx : Kind::Exec;
}

enum class Api { Plain, Tagged, Quota, QuotaTagged };

// The allocation itself on the checked path: special pool when that option
// is on and its filters take the request (its blocks are always zeroed),
// else - also when special pool has no free slot - the normal pool.
void *checked_alloc(ULONG verifier, Kind kind, SIZE_T bytes, ULONG tag, bool cache_aligned,
                    bool zero) {
  if ((verifier & NXPOOL_VERIFIER_SPECIAL_POOL) && special_wanted(tag, bytes)) {
    if (void *p = special_pool_alloc(kind, bytes, tag, cache_aligned)) return p;
  }
  return heap_alloc(kind, bytes, tag, cache_aligned, zero);
}

[[gnu::noinline]] void *legacy_alloc(ULONG type, SIZE_T bytes, ULONG tag, Api api,
                                    const void *caller) {
  const bool quota = api == Api::Quota || api == Api::QuotaTagged;
  const bool raise = quota ? (type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE) == 0
                           : (type & POOL_RAISE_IF_ALLOCATION_FAILURE) != 0;
  if ((api == Api::Tagged || api == Api::QuotaTagged) && tag == 0) {
    bugcheck(k_bad_pool_caller, k_bpc_zero_tag, type, bytes,
             reinterpret_cast<ULONG_PTR>(caller), caller);
    return nullptr;
  }
  if (api == Api::Plain || api == Api::Quota) tag = k_untagged;
  if (type & k_type_must_succeed) {
    bugcheck(k_bad_pool_caller, k_bpc_must_succeed, type, bytes, tag, caller);
    return nullptr;
  }
  const ULONG verifier = verifier_flags();
  if (verifier != 0) [[unlikely]] {
    if (kind_of_type(type) == Kind::Exec && (verifier & NXPOOL_VERIFIER_CODE_INTEGRITY)) {
      bugcheck(k_driver_verifier_violation, k_dv_executable_pool,
               reinterpret_cast<ULONG_PTR>(caller), type, tag, caller);
      return nullptr;
    }
    if (!verify_request(type, bytes, tag, caller)) return nullptr;
  }
  void *p = nullptr;
  if ((type & ~k_known_type_bits) == 0 &&
      !((verifier & NXPOOL_VERIFIER_LOW_RESOURCES) && inject_failure(tag))) {
    p = checked_alloc(verifier, kind_of_type(type), bytes, tag,
                      (type & k_type_cache_aligned) != 0, (type & POOL_ZERO_ALLOCATION) != 0);
    if (p != nullptr && (verifier & NXPOOL_VERIFIER_POOL_TRACKING)) [[unlikely]] {
      track_alloc(p, bytes, tag, kind_of_type(type), caller);
    }
  }
  if (p == nullptr && raise) {
    raise_status((type & ~k_known_type_bits) ? STATUS_INVALID_PARAMETER
                                             : STATUS_INSUFFICIENT_RESOURCES,
                 caller);
  }
  return p;
}

// Required POOL_FLAGS bits this runtime honours. SESSION is OS-only and the
// reserved bits are reserved: both fail, as unknown required bits must.
constexpr POOL_FLAGS k_honoured_required =
    POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_CACHE_ALIGNED |
    POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE |
    POOL_FLAG_PAGED;

bool valid_priority(ULONG64 p) {
  switch (p) {
    case LowPoolPriority: case LowPoolPrioritySpecialPoolOverrun:
    case LowPoolPrioritySpecialPoolUnderrun: case NormalPoolPriority:
    case NormalPoolPrioritySpecialPoolOverrun: case NormalPoolPrioritySpecialPoolUnderrun:
    case HighPoolPriority: case HighPoolPrioritySpecialPoolOverrun:
    case HighPoolPrioritySpecialPoolUnderrun:
      return true;
    default:
      return false;
  }
}

// Extended parameters (ExAllocatePool3): each type at most once, known types
// only, reserved bits clear. Priority and NUMA node are accepted (there is no
// memory pressure or NUMA to act on); secure pool cannot be provided, so a
// required one fails and an optional one is ignored.
bool valid_extended(PCPOOL_EXTENDED_PARAMETER params, ULONG count) {
  if (count == 0) return true;
  if (params == nullptr) return false;
  unsigned seen = 0;
  for (ULONG i = 0; i < count; ++i) {
    const POOL_EXTENDED_PARAMETER &p = params[i];
    const auto type = static_cast<unsigned>(p.Type);
    if (p.Reserved != 0) return false;
    if (type == PoolExtendedParameterInvalidType || type >= PoolExtendedParameterMax) {
      if (p.Optional) continue;
      return false;
    }
    if (seen & (1u << type)) return false;
    seen |= 1u << type;
    switch (type) {
      case PoolExtendedParameterPriority:
        {
          ULONG priority;  // as an integer: any value may arrive (see bits_of)
          static_assert(sizeof(p.Priority) == sizeof priority);
          std::memcpy(&priority, &p.Priority, sizeof priority);
          if (!valid_priority(priority)) return false;
        }
        break;
      case PoolExtendedParameterSecurePool:
        if (!p.Optional) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

void *pool2_alloc(POOL_FLAGS flags, SIZE_T bytes, ULONG tag, PCPOOL_EXTENDED_PARAMETER params,
                  ULONG count, const void *caller) {
  const POOL_FLAGS required = flags & POOL_FLAG_REQUIRED_MASK;  // optional bits: ignored
  const POOL_FLAGS kinds = required & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE |
                                       POOL_FLAG_PAGED);
  const bool one_kind = kinds != 0 && (kinds & (kinds - 1)) == 0;
  void *p = nullptr;
  NTSTATUS why = STATUS_INVALID_PARAMETER;
  if ((required & ~k_honoured_required) == 0 && one_kind && tag != 0 &&
      valid_extended(params, count)) {
    Kind kind = kinds == POOL_FLAG_NON_PAGED         ? Kind::Nx
                : kinds == POOL_FLAG_NON_PAGED_EXECUTE ? Kind::Exec
                                                      : Kind::Paged;
    const ULONG verifier = verifier_flags();
    if (verifier != 0) [[unlikely]] {
      if (kind == Kind::Exec && (verifier & NXPOOL_VERIFIER_CODE_INTEGRITY)) {
        bugcheck(k_driver_verifier_violation, k_dv_executable_pool,
                 reinterpret_cast<ULONG_PTR>(caller), static_cast<ULONG_PTR>(flags), tag, caller);
        return nullptr;
      }
      if (!verify_request(static_cast<ULONG>(flags), bytes, tag, caller)) return nullptr;
    }
    why = STATUS_INSUFFICIENT_RESOURCES;
    if (!((verifier & NXPOOL_VERIFIER_LOW_RESOURCES) && inject_failure(tag))) {
      p = checked_alloc(verifier, kind, bytes, tag, (required & POOL_FLAG_CACHE_ALIGNED) != 0,
                        (required & POOL_FLAG_UNINITIALIZED) == 0);
      if (p != nullptr && (verifier & NXPOOL_VERIFIER_POOL_TRACKING)) [[unlikely]] {
        track_alloc(p, bytes, tag, kind, caller);
      }
    }
  }
  if (p == nullptr && (required & POOL_FLAG_RAISE_ON_FAILURE)) raise_status(why, caller);
  return p;
}

// Reports what heap_free found wrong; the block (if any) stays as it was.
[[gnu::noinline, gnu::cold]] void report_bad_free(PVOID p, ULONG tag, FreeStatus status,
                                                  const BlockInfo &info, const void *caller) {
  switch (status) {
    case FreeStatus::Freed:
      return;
    case FreeStatus::NotPool:
      bugcheck(k_bad_pool_caller, k_bpc_not_pool, reinterpret_cast<ULONG_PTR>(p), 0, 0, caller);
      return;
    case FreeStatus::NotLive:
      bugcheck(k_bad_pool_caller, k_bpc_double_free, 0, tag, reinterpret_cast<ULONG_PTR>(p),
               caller);
      return;
    case FreeStatus::WrongTag:
      bugcheck(k_bad_pool_caller, k_bpc_wrong_tag, reinterpret_cast<ULONG_PTR>(p), info.tag, tag,
               caller);
      return;
  }
}

// The verifier's checks on a free, before it happens. Tracking forgets the
// block first: afterwards another thread may already have been handed the
// same address, and its record must stay. False when the free must not
// happen (a bug check whose handler returned).
[[gnu::noinline]] bool verify_free(PVOID p, const void *caller) {
  BlockInfo info{};
  if (heap_find(p, &info) && info.start == p) {
    if (const void *list = lookaside_within(p, info.size)) {
      bugcheck(k_driver_verifier_violation, k_dv_lookaside_in_freed_pool,
               reinterpret_cast<ULONG_PTR>(list), reinterpret_cast<ULONG_PTR>(p), info.size,
               caller);
      return false;
    }
  }
  if (verifier_flags() & NXPOOL_VERIFIER_POOL_TRACKING) track_free(p);
  return true;
}

// A freed block's link words were overwritten (heap.h): BAD_POOL_HEADER
// with P1 3, "the free list is corrupt", as Windows reports it.
void report_damaged_list(void *block, std::uintptr_t word0, std::uintptr_t word1) {
  bugcheck(k_bad_pool_header, k_bph_free_list_damaged, reinterpret_cast<ULONG_PTR>(block), word0,
           word1, nullptr);
}
[[maybe_unused]] const bool g_damage_hooked = (detail::g_damage_hook = report_damaged_list, true);

// Every free that the inline fast path (free_entry) does not finish.
[[gnu::noinline]] void free_block(PVOID p, ULONG tag, const void *caller) {
  if (verifier_flags() != 0) [[unlikely]] {
    if (!verify_free(p, caller)) return;
  }
  BlockInfo info;  // written by heap_free for the cases that report it
  FreeStatus status = heap_free(p, tag, &info);
  if (status != FreeStatus::Freed) [[unlikely]] {
    // Special-pool blocks are no heap blocks; they are freed (and checked)
    // here whether or not the option is still on.
    if (status == FreeStatus::NotPool && special_contains(p)) {
      return special_pool_free(p, tag, caller);
    }
    report_bad_free(p, tag, status, info, caller);
  }
}

// The common legacy request, tried first: a tagged call whose type has only
// the kind, cache-alignment, zeroing and cold bits. Everything else (and a
// failure that must raise) goes through legacy_alloc.
constexpr ULONG k_fast_type_bits = k_type_paged | k_type_cache_aligned | k_type_session |
                                   POOL_COLD_ALLOCATION | POOL_NX_ALLOCATION |
                                   POOL_ZERO_ALLOCATION;

[[gnu::noinline]] void *tagged_alloc(ULONG type, SIZE_T bytes, ULONG tag, const void *caller) {
  // With any verifier option on, every request takes the checked path.
  if (tag != 0 && (type & ~k_fast_type_bits) == 0 && verifier_flags() == 0) [[likely]] {
    if (void *p = heap_alloc(kind_of_type(type), bytes, tag, (type & k_type_cache_aligned) != 0,
                             (type & POOL_ZERO_ALLOCATION) != 0)) {
      return p;
    }
  }
  return legacy_alloc(type, bytes, tag, Api::Tagged, caller);
}

// The entry points' fast paths. Only the common case is inline - a tagged,
// not zeroed request of at most 1 KiB of a plain kind, verifier off, a
// block on the thread's list - and every other case is one call to the
// full path above, made last so that it is a jump: the fast path then
// needs no stack frame and no saved registers.
constexpr ULONG k_inline_type_bits = k_type_paged | k_type_session | POOL_COLD_ALLOCATION |
                                     POOL_NX_ALLOCATION;

// The inline path finds its thread list from two table loads instead of
// computing kind and class: the byte offset of the kind's first list,
// indexed by the type itself (below 1024 once only k_inline_type_bits may be
// set), plus that of the class, indexed by 16-byte granule (at most 1 KiB).
struct InlineTables {
  std::uint16_t kind_offset[1024];
  std::uint16_t class_offset[1024 / 16 + 1];
};
static_assert(k_inline_type_bits < 1024);

constexpr InlineTables make_inline_tables() {
  InlineTables t{};
  for (ULONG type = 0; type < 1024; ++type) {
    t.kind_offset[type] = static_cast<std::uint16_t>(
        static_cast<unsigned>(kind_of_type(type)) * k_class_count *
        sizeof(detail::FreeList));
  }
  for (std::size_t g = 0; g <= 1024 / 16; ++g) {
    t.class_offset[g] =
        static_cast<std::uint16_t>(detail::k_small_lookup[g] * sizeof(detail::FreeList));
  }
  return t;
}
constexpr InlineTables k_inline = make_inline_tables();
static_assert(k_inline.kind_offset[NonPagedPoolNx] == 0 &&
              k_inline.kind_offset[PagedPool] ==
                  2 * k_class_count * sizeof(detail::FreeList) &&
              k_inline.class_offset[4] == 3 * sizeof(detail::FreeList));

[[gnu::always_inline]] inline void *alloc_entry(ULONG type, SIZE_T bytes, ULONG tag,
                                                const void *caller) {
  if (tag != 0 && (type & ~k_inline_type_bits) == 0 && bytes <= 1024 &&
      verifier_flags() == 0) [[likely]] {
    const std::size_t offset =
        std::size_t{k_inline.kind_offset[type]} + k_inline.class_offset[(bytes + 15) / 16];
    if (void *p = detail::heap_alloc_fast_at(offset, bytes, tag)) [[likely]] return p;
  }
  return tagged_alloc(type, bytes, tag, caller);
}

[[gnu::always_inline]] inline void free_entry(PVOID p, ULONG tag, const void *caller) {
  if (verifier_flags() == 0 && detail::heap_free_fast(p, tag)) [[likely]] return;
  free_block(p, tag, caller);
}

}  // namespace
}  // namespace nxpool::rt

using namespace nxpool::rt;

#define NXPOOL_CALLER __builtin_return_address(0)

namespace nxpool::rt {
void *pool_alloc_with_tag(ULONG type, SIZE_T bytes, ULONG tag, const void *caller) {
  return tagged_alloc(type, bytes, tag, caller);
}
}  // namespace nxpool::rt

extern "C" {

PVOID NTAPI ExAllocatePool(POOL_TYPE type, SIZE_T bytes) {
  return legacy_alloc(pool_type_bits(type), bytes, 0, Api::Plain, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE type, SIZE_T bytes, ULONG tag) {
  return alloc_entry(pool_type_bits(type), bytes, tag, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePoolWithQuota(POOL_TYPE type, SIZE_T bytes) {
  return legacy_alloc(pool_type_bits(type), bytes, 0, Api::Quota, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePoolWithQuotaTag(POOL_TYPE type, SIZE_T bytes, ULONG tag) {
  return legacy_alloc(pool_type_bits(type), bytes, tag, Api::QuotaTagged, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePoolWithTagPriority(POOL_TYPE type, SIZE_T bytes, ULONG tag,
                                          EX_POOL_PRIORITY priority) {
  // Priority only matters under memory pressure, and the special-pool
  // variants only under Driver Verifier: neither exists here.
  (void)priority;
  return alloc_entry(pool_type_bits(type), bytes, tag, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePool2(POOL_FLAGS flags, SIZE_T bytes, ULONG tag) {
  return pool2_alloc(flags, bytes, tag, nullptr, 0, NXPOOL_CALLER);
}

PVOID NTAPI ExAllocatePool3(POOL_FLAGS flags, SIZE_T bytes, ULONG tag,
                            PCPOOL_EXTENDED_PARAMETER params, ULONG count) {
  return pool2_alloc(flags, bytes, tag, params, count, NXPOOL_CALLER);
}

VOID NTAPI ExFreePool(PVOID p) { free_entry(p, 0, NXPOOL_CALLER); }

VOID NTAPI ExFreePoolWithTag(PVOID p, ULONG tag) { free_entry(p, tag, NXPOOL_CALLER); }

VOID NTAPI ExFreePool2(PVOID p, ULONG tag, PCPOOL_EXTENDED_PARAMETER params, ULONG count) {
  // Extended parameters on a free only concern secure pool, which this
  // runtime never hands out; they are accepted and ignored.
  (void)params;
  (void)count;
  free_entry(p, tag, NXPOOL_CALLER);
}

int nxpool_is_executable(const void *p) {
  BlockInfo info{};
  if (!heap_find(p, &info)) return -1;
  return kind_is_executable(info.kind) ? 1 : 0;
}

}  // extern "C"
