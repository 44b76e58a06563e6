// nxpool-mode: none
#include <wdm.h>
#if (NTDDI_VERSION >= NTDDI_WIN8)
#define MY_POOL NonPagedPoolNx
#define MY_MAP_PRIORITY (NormalPagePriority | MdlMappingNoExecute)
#else
#define MY_POOL NonPagedPool
#define MY_MAP_PRIORITY NormalPagePriority
#endif
#define ALLOC(n) ExAllocatePoolWithTag(MY_POOL, (n), 'gaT1')
void f(PMDL mdl)
{
#if (NTDDI_VERSION >= NTDDI_WIN8)
    p = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1');
#else
    p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); // expect: NX2001
#endif
    q = ExAllocatePoolWithTag(MY_POOL, 8, 'gaT1'); // expect: NX2001
    r = ALLOC(16); // expect: NX2001
    va = MmGetSystemAddressForMdlSafe(mdl, MY_MAP_PRIORITY); // expect: NX2004
}
