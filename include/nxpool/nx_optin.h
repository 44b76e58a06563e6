/*
 * nxpool/nx_optin.h - the NX pool opt-in latch.
 *
 * How it works (docs/mechanism.md sections 1-3 and 9)
 * ------------------------------------------------------
 * Three macros, each tested by VALUE (undefined counts as 0), decide what
 * the token NonPagedPool means in the rest of the translation unit:
 *
 *   POOL_NX_OPTOUT      non-zero: nothing is remapped in this file.
 *   POOL_NX_OPTIN_AUTO  non-zero: NonPagedPool is the constant NonPagedPoolNx
 *                       (512); a compile-time constant still.
 *   POOL_NX_OPTIN       non-zero: NonPagedPool is the per-image variable
 *                       ExDefaultNonPagedPoolType, executable (0) until
 *                       ExInitializeDriverRuntime(DrvRtPoolNxOptIn) sets it
 *                       to NonPagedPoolNx on Windows 8 (6.2) or later.
 *
 * OPTOUT beats AUTO, AUTO beats OPTIN. On targets that are not x86/x64 (ARM,
 * ARM64) OPTIN is removed and AUTO forced to 1, so there OPTOUT is the only
 * way back to executable pool.
 *
 * The decision happens here, once, when the umbrella header is first
 * included: it sits inside that header's include guard. A POOL_NX_OPTOUT
 * defined after the first #include that reaches wdm.h therefore changes
 * nothing - the WDK's trap, kept on purpose.
 *
 * The same decision adds NX to ExInitializeNPagedLookasideList's Flags and
 * to MmMapLockedPagesSpecifyCache's Priority through wrappers that take over
 * the API names. MmGetSystemAddressForMdlSafe is defined after that rename,
 * so it maps through the wrapper too. Nothing else changes: not
 * NonPagedPoolExecute, the MustSucceed/Session/Base names, numeric pool
 * types, POOL_FLAGS, MmMapLockedPages, MmMapIoSpace or the MM_PAGE_PRIORITY
 * enumerators.
 *
 * Where the WDK header fails cryptically, this one stops with an #error that
 * says what to do: both OPTIN and AUTO on x86/x64 (the WDK fails later with
 * "ExDefaultNonPagedPoolType undeclared"), and a control macro defined with
 * an empty body (the WDK's #if is then a syntax error).
 *
 * For tests, examples and the analyzer's cross-checks the outcome is also
 * published as NXPOOL_NX_MODE (one of the NXPOOL_NX_MODE_* values) and
 * NXPOOL_NX_MODE_NAME ("none", "auto", "optin", "optout").
 *
 * Tested by tests/headers (compile matrix over every macro combination, as C
 * and C++, with GCC and Clang).
 */
#ifndef NXPOOL_NX_OPTIN_H
#define NXPOOL_NX_OPTIN_H

#include "pool.h"
#include "lookaside.h"
#include "mdl.h"

/* ---- 1. target architecture --------------------------------------------
 * An explicit WDK architecture macro wins; otherwise the compiler's own
 * target macros decide. So -D_ARM64_ on an x86-64 host is an ARM64 build. */
#if defined(_X86_) || defined(_AMD64_) || defined(_NTOS_)
#define NXPOOL_TARGET_X86_FAMILY 1
#elif defined(_ARM_) || defined(_ARM64_)
#define NXPOOL_TARGET_X86_FAMILY 0
#elif defined(__i386__) || defined(__x86_64__) || defined(_M_IX86) || defined(_M_AMD64)
#define NXPOOL_TARGET_X86_FAMILY 1
#else
#define NXPOOL_TARGET_X86_FAMILY 0
#endif

/* ---- 2. control macros defined with an empty body ------------------------
 * `#define POOL_NX_OPTOUT` (no value) is a different thing from -DPOOL_NX_OPTOUT
 * on a command line, which means 1. NXPOOL_IS_EMPTY_ is true only for a macro
 * that expands to nothing. */
#define NXPOOL_IS_EMPTY_(x) ((~(~x + 0) == 0) && (~(~x + 1) == 1))

#if defined(POOL_NX_OPTOUT) && NXPOOL_IS_EMPTY_(POOL_NX_OPTOUT)
#error "nxpool: POOL_NX_OPTOUT is defined with an empty value, which the WDK's '#if POOL_NX_OPTOUT' cannot evaluate. To opt this file out write '#define POOL_NX_OPTOUT 1' above the first #include that reaches wdm.h (or pass POOL_NX_OPTOUT=1 for this file in the build)."
#undef POOL_NX_OPTOUT /* one clear error, not a cascade */
#define POOL_NX_OPTOUT 1
#endif

#if NXPOOL_TARGET_X86_FAMILY
#if defined(POOL_NX_OPTIN) && NXPOOL_IS_EMPTY_(POOL_NX_OPTIN)
#error "nxpool: POOL_NX_OPTIN is defined with an empty value, which the WDK's '#if POOL_NX_OPTIN' cannot evaluate. Define it as 1 (POOL_NX_OPTIN=1 in the build's definitions)."
#undef POOL_NX_OPTIN
#define POOL_NX_OPTIN 1
#endif
#if defined(POOL_NX_OPTIN_AUTO) && NXPOOL_IS_EMPTY_(POOL_NX_OPTIN_AUTO)
#error "nxpool: POOL_NX_OPTIN_AUTO is defined with an empty value, which the WDK's '#if POOL_NX_OPTIN_AUTO' cannot evaluate. Define it as 1 (POOL_NX_OPTIN_AUTO=1 in the build's definitions)."
#undef POOL_NX_OPTIN_AUTO
#define POOL_NX_OPTIN_AUTO 1
#endif
#endif

/* ---- 3. forced AUTO where no executable-pool legacy exists --------------- */
#if !NXPOOL_TARGET_X86_FAMILY
#undef POOL_NX_OPTIN
#define POOL_NX_OPTIN_AUTO 1
#endif

/* ---- 4. the effective mode ----------------------------------------------- */
#define NXPOOL_NX_MODE_NONE 0
#define NXPOOL_NX_MODE_AUTO 1
#define NXPOOL_NX_MODE_OPTIN 2
#define NXPOOL_NX_MODE_OPTOUT 3

#if defined(POOL_NX_OPTOUT) && POOL_NX_OPTOUT
#define NXPOOL_NX_MODE NXPOOL_NX_MODE_OPTOUT
#define NXPOOL_NX_MODE_NAME "optout"
#elif defined(POOL_NX_OPTIN_AUTO) && POOL_NX_OPTIN_AUTO
#if defined(POOL_NX_OPTIN) && POOL_NX_OPTIN
#error "nxpool: POOL_NX_OPTIN and POOL_NX_OPTIN_AUTO are both set for this file; the WDK header cannot compile that on x86/x64 (ExDefaultNonPagedPoolType would be undeclared). Choose one: POOL_NX_OPTIN_AUTO=1 for a binary that only runs on Windows 8 or later, or POOL_NX_OPTIN=1 plus ExInitializeDriverRuntime(DrvRtPoolNxOptIn) in DriverEntry for one binary that runs everywhere."
#endif
#define NXPOOL_NX_MODE NXPOOL_NX_MODE_AUTO
#define NXPOOL_NX_MODE_NAME "auto"
#elif defined(POOL_NX_OPTIN) && POOL_NX_OPTIN
#define NXPOOL_NX_MODE NXPOOL_NX_MODE_OPTIN
#define NXPOOL_NX_MODE_NAME "optin"
#else
#define NXPOOL_NX_MODE NXPOOL_NX_MODE_NONE
#define NXPOOL_NX_MODE_NAME "none"
#endif

NXPOOL_EXTERN_C_BEGIN

/* ---- 5. the remap --------------------------------------------------------
 * Under OPTIN the two globals are defined (not just declared) in every
 * translation unit that opts in; DECLSPEC_SELECTANY keeps one per image, so
 * an export driver or DLL has its own and must initialise it itself. */
#if NXPOOL_NX_MODE == NXPOOL_NX_MODE_AUTO

#define NonPagedPool NonPagedPoolNx
#define NonPagedPoolCacheAligned NonPagedPoolNxCacheAligned
#define NXPOOL_LOOKASIDE_NX_FLAGS_ ((ULONG)POOL_NX_ALLOCATION)
#define NXPOOL_MDL_NX_PRIORITY_ ((ULONG)MdlMappingNoExecute)

#elif NXPOOL_NX_MODE == NXPOOL_NX_MODE_OPTIN

DECLSPEC_SELECTANY POOL_TYPE ExDefaultNonPagedPoolType = NonPagedPoolExecute;
DECLSPEC_SELECTANY ULONG ExDefaultMdlProtection = 0;

#define NonPagedPool ExDefaultNonPagedPoolType
#define NonPagedPoolCacheAligned ((POOL_TYPE)(ExDefaultNonPagedPoolType + 4))
#define NXPOOL_LOOKASIDE_NX_FLAGS_ ((ULONG)ExDefaultNonPagedPoolType)
#define NXPOOL_MDL_NX_PRIORITY_ (ExDefaultMdlProtection)

#endif

/* ---- 6. wrappers that take over the API names ---------------------------- */
#if defined(NXPOOL_LOOKASIDE_NX_FLAGS_)

NXPOOL_TU_INLINE VOID ExInitializeNPagedLookasideList_NXPoolOptIn(
    PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
    ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth) {
  ExInitializeNPagedLookasideList(Lookaside, Allocate, Free, Flags | NXPOOL_LOOKASIDE_NX_FLAGS_,
                                  Size, Tag, Depth);
}
#define ExInitializeNPagedLookasideList ExInitializeNPagedLookasideList_NXPoolOptIn

NXPOOL_TU_INLINE PVOID MmMapLockedPagesSpecifyCache_NXOptIn(
    PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode, MEMORY_CACHING_TYPE CacheType,
    PVOID RequestedAddress, ULONG BugCheckOnFailure, ULONG Priority) {
  return MmMapLockedPagesSpecifyCache(MemoryDescriptorList, AccessMode, CacheType,
                                      RequestedAddress, BugCheckOnFailure,
                                      Priority | NXPOOL_MDL_NX_PRIORITY_);
}
#define MmMapLockedPagesSpecifyCache MmMapLockedPagesSpecifyCache_NXOptIn

#endif

/* Defined after the rename on purpose: its own mapping call goes through the
 * wrapper above whenever this file is opted in. */
NXPOOL_TU_INLINE PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority) {
  if (Mdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)) {
    return Mdl->MappedSystemVa;
  }
  return MmMapLockedPagesSpecifyCache(Mdl, KernelMode, MmCached, NULL, FALSE, Priority);
}

/* ---- 7. ExInitializeDriverRuntime ----------------------------------------
 * Its body is fixed by the macros of the translation unit that includes this
 * header, which is why it is static: called from a file that is not OPTIN
 * (or is opted out, or AUTO), it does nothing at all, and every OPTIN file
 * of the image keeps executable pool. */
typedef enum _DRIVER_RUNTIME_INIT_FLAGS {
  DrvRtPoolNxOptIn = 0x00000001,
  LastDrvRtFlag
} DRIVER_RUNTIME_INIT_FLAGS;

#if NXPOOL_NX_MODE == NXPOOL_NX_MODE_OPTIN || defined(POOL_ZERO_DOWN_LEVEL_SUPPORT)
#define NXPOOL_INIT_QUERIES_VERSION_ 1
#endif

NXPOOL_TU_INLINE VOID ExInitializeDriverRuntime(ULONG RuntimeFlags) {
#if defined(NXPOOL_INIT_QUERIES_VERSION_)
  RTL_OSVERSIONINFOW version;
  memset(&version, 0, sizeof version);
  version.dwOSVersionInfoSize = sizeof version;
  if (!NT_SUCCESS(RtlGetVersion(&version))) {
    /* As the WDK: an unknown system is treated as Windows 2000 (5.0). */
    version.dwMajorVersion = 5;
    version.dwMinorVersion = 0;
    version.dwBuildNumber = 0;
  }
#endif
#if defined(POOL_ZERO_DOWN_LEVEL_SUPPORT)
  /* libnxpool zeroes natively on every simulated version from Windows 10. */
  if (version.dwMajorVersion >= 10) {
    ExPoolZeroingNativelySupported = TRUE;
  }
#endif
#if NXPOOL_NX_MODE == NXPOOL_NX_MODE_OPTIN
  if ((RuntimeFlags & DrvRtPoolNxOptIn) != 0 &&
      (version.dwMajorVersion > 6 ||
       (version.dwMajorVersion == 6 && version.dwMinorVersion >= 2))) {
    ExDefaultNonPagedPoolType = NonPagedPoolNx;
    ExDefaultMdlProtection = MdlMappingNoExecute;
  }
#else
  (void)RuntimeFlags;
#endif
}

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_NX_OPTIN_H */
