// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); q = ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 8, 'gaT1'); }
