// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
#include <ntstrsafe.h>
// The docs say "before the first NonPagedPool" -- that is too late.
#define POOL_NX_OPTOUT 1 // expect: NX1001
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
