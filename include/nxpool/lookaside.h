/*
 * nxpool/lookaside.h - lookaside lists (fixed-size block caches).
 *
 * The list structures are caller-allocated, as in the WDK, so their size is
 * part of the ABI; the fields after Type/Tag/Size are libnxpool's own
 * bookkeeping and may change between nxpool versions. Which pool kind a list
 * draws from is fixed at initialisation: a nonpaged list is NX when its
 * Flags carry POOL_NX_ALLOCATION - which the opt-in wrapper in
 * nxpool/nx_optin.h adds for opted-in files - and executable otherwise.
 */
#ifndef NXPOOL_LOOKASIDE_H
#define NXPOOL_LOOKASIDE_H

#include "pool.h"

NXPOOL_EXTERN_C_BEGIN

struct _LOOKASIDE_LIST_EX;

typedef PVOID NTAPI ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef VOID NTAPI FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;

typedef PVOID NTAPI ALLOCATE_FUNCTION_EX(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                         struct _LOOKASIDE_LIST_EX *Lookaside);
typedef ALLOCATE_FUNCTION_EX *PALLOCATE_FUNCTION_EX;
typedef VOID NTAPI FREE_FUNCTION_EX(PVOID Buffer, struct _LOOKASIDE_LIST_EX *Lookaside);
typedef FREE_FUNCTION_EX *PFREE_FUNCTION_EX;

typedef struct _GENERAL_LOOKASIDE {
  PVOID ListHead;        /* cached free blocks (runtime-owned) */
  USHORT Depth;          /* how many blocks the list keeps */
  USHORT MaximumDepth;
  ULONG TotalAllocates;
  ULONG AllocateMisses;
  ULONG TotalFrees;
  ULONG FreeMisses;
  POOL_TYPE Type;        /* pool kind the blocks come from, with POOL_NX_ALLOCATION folded in */
  ULONG Tag;
  ULONG Size;            /* block size in bytes */
  union {
    PALLOCATE_FUNCTION_EX AllocateEx;
    PALLOCATE_FUNCTION Allocate;
  };
  union {
    PFREE_FUNCTION_EX FreeEx;
    PFREE_FUNCTION Free;
  };
  ULONG Flags;
  PVOID Runtime[8];      /* libnxpool: lock and bookkeeping */
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _NPAGED_LOOKASIDE_LIST {
  GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

typedef struct _PAGED_LOOKASIDE_LIST {
  GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

typedef struct _LOOKASIDE_LIST_EX {
  GENERAL_LOOKASIDE L;
} LOOKASIDE_LIST_EX, *PLOOKASIDE_LIST_EX;

#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL 0x00000001UL
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE 0x00000002UL

/* Flags: 0, POOL_RAISE_IF_ALLOCATION_FAILURE and/or POOL_NX_ALLOCATION.
 * Allocate/Free: NULL for the pool, or callbacks used on a miss / overflow.
 * With any verifier option on (nxpool/runtime.h), an entry freed to a list
 * whose Allocate is NULL must be a live pool block of the list's tag and
 * entry size; anything else is bug check 0xC4, P1 0x16, P2 the list, P3 the
 * entry, and (when a handler returns) the entry is not taken. */
NTKERNELAPI VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                       PALLOCATE_FUNCTION Allocate,
                                                       PFREE_FUNCTION Free, ULONG Flags,
                                                       SIZE_T Size, ULONG Tag, USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);

NTKERNELAPI VOID NTAPI ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                                      PALLOCATE_FUNCTION Allocate,
                                                      PFREE_FUNCTION Free, ULONG Flags,
                                                      SIZE_T Size, ULONG Tag, USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);

/* PoolType is a real POOL_TYPE here (pass NonPagedPoolNx); Flags are the
 * EX_LOOKASIDE_LIST_EX_FLAGS_* values. */
NTKERNELAPI NTSTATUS NTAPI ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside,
                                                       PALLOCATE_FUNCTION_EX Allocate,
                                                       PFREE_FUNCTION_EX Free, POOL_TYPE PoolType,
                                                       ULONG Flags, SIZE_T Size, ULONG Tag,
                                                       USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry);
NTKERNELAPI VOID NTAPI ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_LOOKASIDE_H */
