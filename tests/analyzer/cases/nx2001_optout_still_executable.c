// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: optout
#define POOL_NX_OPTOUT 1
#include <ntddk.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
