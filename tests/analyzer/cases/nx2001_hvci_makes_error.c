// nxpool-args: --hvci   nxpool-mode: none
#include <ntddk.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001:error
