// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'gaT1'); // expect: NX2002:note
    b = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 8, 'gaT1'); // expect: NX2002:note
    c = MmAllocateContiguousNodeMemory(n, lo, hi, 0, PAGE_EXECUTE_READWRITE, MM_ANY_NODE_OK); // expect: NX2002
    if (prot == PAGE_EXECUTE_READ) {}
}
