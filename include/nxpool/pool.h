/*
 * nxpool/pool.h - pool types, pool flags and the pool allocation API.
 *
 * Names and values are the WDK's (docs/mechanism.md section 5). The
 * functions are implemented by libnxpool (src/runtime), which backs every
 * executable pool kind with PROT_EXEC pages and every NX kind without.
 *
 * Nothing here depends on the NX opt-in: the remapping of NonPagedPool lives
 * in nxpool/nx_optin.h, which the umbrella header includes after this file.
 */
#ifndef NXPOOL_POOL_H
#define NXPOOL_POOL_H

#include "ntdef.h"

NXPOOL_EXTERN_C_BEGIN

/* ---- POOL_TYPE ----------------------------------------------------------
 * The value is a small bit set: 1 = paged, 2 = must-succeed, 4 = cache
 * aligned, 32 = session, 512 = no-execute. Every nonpaged type without the
 * 512 bit is executable, including the plain NonPagedPool (0) that older
 * drivers write everywhere. Written as numbers, not as sums of other
 * enumerators, so that a later `#define NonPagedPool ...` cannot reach here. */
typedef enum _POOL_TYPE {
  NonPagedPool = 0,                     /* executable nonpaged */
  NonPagedPoolExecute = 0,              /* same value: the explicit name (Windows 8+) */
  PagedPool = 1,
  NonPagedPoolMustSucceed = 2,          /* startup only; executable */
  DontUseThisType = 3,
  NonPagedPoolCacheAligned = 4,         /* executable */
  PagedPoolCacheAligned = 5,
  NonPagedPoolCacheAlignedMustS = 6,    /* executable */
  MaxPoolType = 7,

  NonPagedPoolBase = 0,                 /* the Base names decode pool types */
  NonPagedPoolBaseMustSucceed = 2,
  NonPagedPoolBaseCacheAligned = 4,
  NonPagedPoolBaseCacheAlignedMustS = 6,

  NonPagedPoolSession = 32,             /* session types: deprecated */
  PagedPoolSession = 33,
  NonPagedPoolMustSucceedSession = 34,
  DontUseThisTypeSession = 35,
  NonPagedPoolCacheAlignedSession = 36,
  PagedPoolCacheAlignedSession = 37,
  NonPagedPoolCacheAlignedMustSSession = 38,

  NonPagedPoolNx = 512,                 /* no-execute nonpaged, Windows 8+ */
  NonPagedPoolNxCacheAligned = 516,
  NonPagedPoolSessionNx = 544
} POOL_TYPE;

/* Modifier bits a caller may OR into a POOL_TYPE argument. */
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE 8     /* quota allocators: return NULL */
#define POOL_RAISE_IF_ALLOCATION_FAILURE 16    /* raise instead of returning NULL */
#define POOL_COLD_ALLOCATION             256   /* hint only */
#define POOL_NX_ALLOCATION               512   /* lookaside Flags: use NX pool */
#define POOL_ZERO_ALLOCATION             1024  /* zero the block (the ...Zero wrappers) */

#ifndef POOL_TAGGING
#define POOL_TAGGING 1
#endif

/* ---- POOL_FLAGS (ExAllocatePool2/3) --------------------------------------
 * Low 32 bits are required: an unknown or unsatisfiable one fails the call.
 * High 32 bits are optional: ignored when unknown. Note the reversed default
 * compared with POOL_TYPE: POOL_FLAG_NON_PAGED is already no-execute, and the
 * NX opt-in macros never touch these values. */
typedef ULONG64 POOL_FLAGS;

#define POOL_FLAG_REQUIRED_START          0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA               0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED           0x0000000000000002ULL
#define POOL_FLAG_SESSION                 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED           0x0000000000000008ULL
#define POOL_FLAG_RESERVED1               0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE        0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED               0x0000000000000040ULL  /* NX */
#define POOL_FLAG_NON_PAGED_EXECUTE       0x0000000000000080ULL  /* executable */
#define POOL_FLAG_PAGED                   0x0000000000000100ULL
#define POOL_FLAG_RESERVED2               0x0000000000000200ULL
#define POOL_FLAG_RESERVED3               0x0000000000000400ULL
#define POOL_FLAG_LAST_KNOWN_REQUIRED     POOL_FLAG_RESERVED3
#define POOL_FLAG_REQUIRED_END            0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START          0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL            0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END            0x8000000000000000ULL
#define POOL_FLAG_REQUIRED_MASK           0x00000000FFFFFFFFULL
#define POOL_FLAG_UNUSED_REQUIRED_BITS    0x00000000FFFFF800ULL

/* ---- priorities and extended parameters --------------------------------- */

typedef enum _EX_POOL_PRIORITY {
  LowPoolPriority = 0,
  LowPoolPrioritySpecialPoolOverrun = 8,
  LowPoolPrioritySpecialPoolUnderrun = 9,
  NormalPoolPriority = 16,
  NormalPoolPrioritySpecialPoolOverrun = 24,
  NormalPoolPrioritySpecialPoolUnderrun = 25,
  HighPoolPriority = 32,
  HighPoolPrioritySpecialPoolOverrun = 40,
  HighPoolPrioritySpecialPoolUnderrun = 41
} EX_POOL_PRIORITY;

typedef enum _POOL_EXTENDED_PARAMETER_TYPE {
  PoolExtendedParameterInvalidType = 0,
  PoolExtendedParameterPriority,
  PoolExtendedParameterSecurePool,
  PoolExtendedParameterNumaNode,
  PoolExtendedParameterMax
} POOL_EXTENDED_PARAMETER_TYPE;

typedef ULONG POOL_NODE_REQUIREMENT;
#define POOL_EXTENDED_PARAMETER_TYPE_BITS 8
#define POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS 1
#define POOL_EXTENDED_PARAMETER_RESERVED_BITS (64 - 8 - 1)

struct _POOL_EXTENDED_PARAMS_SECURE_POOL;

typedef struct _POOL_EXTENDED_PARAMETER {
  /* Plain bit-fields rather than an anonymous struct: same layout and field
   * names, and valid ISO C++ as well as C11. */
  ULONG64 Type : POOL_EXTENDED_PARAMETER_TYPE_BITS;
  ULONG64 Optional : POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS;
  ULONG64 Reserved : POOL_EXTENDED_PARAMETER_RESERVED_BITS;
  union {
    ULONG64 Reserved2;
    PVOID Reserved3;
    EX_POOL_PRIORITY Priority;
    struct _POOL_EXTENDED_PARAMS_SECURE_POOL *SecurePoolParams;
    POOL_NODE_REQUIREMENT PreferredNode;
  };
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER *PCPOOL_EXTENDED_PARAMETER;

/* ---- allocation and free ------------------------------------------------
 * Blocks below a page are 16-byte aligned and never cross a page; a page or
 * more is page aligned. Legacy allocators return uninitialised memory and
 * NULL on failure (quota variants raise unless
 * POOL_QUOTA_FAIL_INSTEAD_OF_RAISE). ExAllocatePool2/3 zero the block unless
 * POOL_FLAG_UNINITIALIZED, need exactly one pool kind and a non-zero tag.
 * All may be called from any thread. */

NTKERNELAPI PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithQuota(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                      ULONG Tag, EX_POOL_PRIORITY Priority);
NTKERNELAPI PVOID NTAPI ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                        PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                        ULONG ExtendedParametersCount);
NTKERNELAPI VOID NTAPI ExFreePool(PVOID P);
NTKERNELAPI VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag);
NTKERNELAPI VOID NTAPI ExFreePool2(PVOID P, ULONG Tag,
                                   PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                   ULONG ExtendedParametersCount);

/* Raising and bug checks: in user mode both print a report and abort unless
 * a handler from <nxpool/runtime.h> takes over. */
NTKERNELAPI VOID NTAPI ExRaiseStatus(NTSTATUS Status);
NTKERNELAPI VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
                                    ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
                                    ULONG_PTR BugCheckParameter4);

/* The simulated OS version (see nxpool_set_os_version); always succeeds. */
NTSYSAPI NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW VersionInformation);

/* ---- zeroing wrappers ----------------------------------------------------
 * The ...Zero forms ask the allocator to zero through POOL_ZERO_ALLOCATION.
 * With POOL_ZERO_DOWN_LEVEL_SUPPORT defined, and ExInitializeDriverRuntime
 * not having found native zeroing, they also clear the block themselves. */

DECLSPEC_SELECTANY BOOLEAN ExPoolZeroingNativelySupported = FALSE;

NXPOOL_TU_INLINE PVOID nxpool_zero_down_level_(PVOID Block, SIZE_T NumberOfBytes) {
#if defined(POOL_ZERO_DOWN_LEVEL_SUPPORT)
  if (Block != NULL && !ExPoolZeroingNativelySupported) {
    RtlZeroMemory(Block, NumberOfBytes);
  }
#else
  (void)NumberOfBytes;
#endif
  return Block;
}

NXPOOL_TU_INLINE PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
  return nxpool_zero_down_level_(
      ExAllocatePoolWithTag((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION), NumberOfBytes, Tag),
      NumberOfBytes);
}
NXPOOL_TU_INLINE PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
  return nxpool_zero_down_level_(
      ExAllocatePoolWithQuotaTag((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION), NumberOfBytes, Tag),
      NumberOfBytes);
}
NXPOOL_TU_INLINE PVOID ExAllocatePoolPriorityZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                                  EX_POOL_PRIORITY Priority) {
  return nxpool_zero_down_level_(
      ExAllocatePoolWithTagPriority((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION), NumberOfBytes,
                                    Tag, Priority),
      NumberOfBytes);
}
NXPOOL_TU_INLINE PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
  return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}
NXPOOL_TU_INLINE PVOID ExAllocatePoolQuotaUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                        ULONG Tag) {
  return ExAllocatePoolWithQuotaTag(PoolType, NumberOfBytes, Tag);
}
NXPOOL_TU_INLINE PVOID ExAllocatePoolPriorityUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                           ULONG Tag, EX_POOL_PRIORITY Priority) {
  return ExAllocatePoolWithTagPriority(PoolType, NumberOfBytes, Tag, Priority);
}

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_POOL_H */
