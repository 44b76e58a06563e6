// nxpool-args: --arch arm64   nxpool-mode: auto
#include <ntddk.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
