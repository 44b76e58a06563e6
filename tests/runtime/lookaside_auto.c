/* A translation unit opted in with POOL_NX_OPTIN_AUTO (set by CMake): the
 * header's wrapper adds POOL_NX_ALLOCATION to the lookaside Flags, so a list
 * initialised here with Flags = 0 hands out NX entries (spec 1.3). */
#include <nxpool/wdm.h>

#if !POOL_NX_OPTIN_AUTO
#error "lookaside_auto.c must be compiled with POOL_NX_OPTIN_AUTO=1"
#endif

void lookaside_auto_init(PNPAGED_LOOKASIDE_LIST list, ULONG tag) {
  ExInitializeNPagedLookasideList(list, NULL, NULL, 0, 64, tag, 0);
}
