/* A "driver" file built with POOL_NX_OPTIN=1 (set by CMake): NonPagedPool is
 * the per-image variable ExDefaultNonPagedPoolType until
 * ExInitializeDriverRuntime(DrvRtPoolNxOptIn) runs, which asks the runtime's
 * RtlGetVersion and switches to NX only on 6.2 or later (spec 1.5). */
#include <nxpool/wdm.h>

#if !POOL_NX_OPTIN
#error "optin_driver.c must be compiled with POOL_NX_OPTIN=1"
#endif

void optin_driver_init(void) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); }

void *optin_driver_allocate(ULONG tag) { return ExAllocatePoolWithTag(NonPagedPool, 64, tag); }

void optin_driver_init_lookaside(PNPAGED_LOOKASIDE_LIST list, ULONG tag) {
  ExInitializeNPagedLookasideList(list, NULL, NULL, 0, 64, tag, 0);
}
