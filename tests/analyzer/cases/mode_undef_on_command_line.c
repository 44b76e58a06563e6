// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 -UPOOL_NX_OPTIN_AUTO   nxpool-mode: none
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
