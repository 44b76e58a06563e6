// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <ntddk.h>
void nx(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
// The header allows code that needs the raw value to remove the remapping.
#undef NonPagedPool
void raw(void) { q = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
void cached(void) { r = ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 8, 'gaT1'); }
