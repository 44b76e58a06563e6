// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 -DPOOL_NX_OPTOUT=0   nxpool-mode: auto   expect: NX1002
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
