// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = MmMapIoSpace(pa, 4096, MmNonCached); // expect: NX2003
    b = MmAllocateContiguousMemory(4096, hi); // expect: NX2003
    c = MmMapLockedPages(mdl, KernelMode); // expect: NX2003
    d = MmAllocateContiguousMemorySpecifyCache(4096, lo, hi, zero, MmCached); // expect: NX2003
    e = MmAllocateContiguousMemorySpecifyCache(4096, lo, hi, zero, MmNonCached);
    g = MmAllocateContiguousMemorySpecifyCacheNode(4096, lo, hi, zero, MmCached, MM_ANY_NODE_OK); // expect: NX2003
    h = MmMapIoSpaceEx(pa, 4096, PAGE_READWRITE | PAGE_NOCACHE);
}
