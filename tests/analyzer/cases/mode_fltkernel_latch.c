// nxpool-mode: none
#include <fltKernel.h>
#define POOL_NX_OPTIN_AUTO 1 // expect: NX1005
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
