/*
 * Stand-ins for the two wrapped APIs and RtlGetVersion, so the header tests
 * see exactly what the opt-in wrappers pass and can pick the OS version.
 * Compiled WITHOUT any opt-in (POOL_NX_OPTOUT=1 also cancels the forced AUTO
 * of non-x86 targets), so these are the real, unwrapped names.
 */
#define POOL_NX_OPTOUT 1
#include <nxpool/wdm.h>

#include "recorder.h"

ULONG recorded_lookaside_flags = 0xFFFFFFFFu;
ULONG recorded_mdl_priority = 0xFFFFFFFFu;
static ULONG os_major = 10, os_minor = 0;
static int os_query_fails = 0;

void recorder_set_os(unsigned major, unsigned minor, int fail) {
  os_major = major;
  os_minor = minor;
  os_query_fails = fail;
}

VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                           PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                           ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth) {
  (void)Lookaside; (void)Allocate; (void)Free; (void)Size; (void)Tag; (void)Depth;
  recorded_lookaside_flags = Flags;
}

PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL Mdl, KPROCESSOR_MODE AccessMode,
                                         MEMORY_CACHING_TYPE CacheType, PVOID RequestedAddress,
                                         ULONG BugCheckOnFailure, ULONG Priority) {
  (void)AccessMode; (void)CacheType; (void)RequestedAddress; (void)BugCheckOnFailure;
  recorded_mdl_priority = Priority;
  return Mdl;
}

NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW v) {
  if (os_query_fails) return STATUS_UNSUCCESSFUL;
  v->dwMajorVersion = os_major;
  v->dwMinorVersion = os_minor;
  v->dwBuildNumber = 0;
  return STATUS_SUCCESS;
}
