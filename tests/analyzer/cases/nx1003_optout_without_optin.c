// nxpool-mode: optout
#define POOL_NX_OPTOUT 1 // expect: NX1003
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
