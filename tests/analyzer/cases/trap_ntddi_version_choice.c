// nxpool-mode: none
#include <wdm.h>
#if (NTDDI_VERSION >= NTDDI_WIN8)
#define MY_POOL NonPagedPoolNx
#else
#define MY_POOL NonPagedPool
#endif
void f(void)
{
#if (NTDDI_VERSION >= NTDDI_WIN8)
    p = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1');
#else
    p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); // expect: NX2001
#endif
}
