// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = ExAllocatePool2(NonPagedPool, 8, 'gaT1'); // expect: NX3001
    b = ExAllocatePool2(PagedPool, 8, 'gaT1'); // expect: NX3001
    c = ExAllocatePool3(NonPagedPoolNx, 8, 'gaT1', NULL, 0); // expect: NX3001
    d = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 'gaT1');
}
