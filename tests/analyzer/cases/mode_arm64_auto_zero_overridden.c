// nxpool-args: --arch arm64 -DPOOL_NX_OPTIN_AUTO=0   nxpool-mode: auto
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
