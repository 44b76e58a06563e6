// nxpool-args: --arch arm64   nxpool-mode: optout
#define POOL_NX_OPTOUT 1
#include <ntddk.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
