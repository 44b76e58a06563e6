// nxpool-mode: none
#include <wdm.h>
#define POOL_NX_OPTIN 1 // expect: NX1005
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
