// nxpool-mode: auto
#define ENABLE_NX 1
#define POOL_NX_OPTIN_AUTO ENABLE_NX
#include <ntifs.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
