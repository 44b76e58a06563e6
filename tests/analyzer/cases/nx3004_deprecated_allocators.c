// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 --enable-rule NX3004 -DNTDDI_VERSION=NTDDI_WIN10_VB   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = ExAllocatePool(PagedPool, 8); // expect: NX3004:note
    b = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1'); // expect: NX3004:note
    c = ExAllocatePoolWithQuota(PagedPool, 8); // expect: NX3004:note
    d = ExAllocatePoolWithQuotaTag(PagedPool, 8, 'gaT1'); // expect: NX3004:note
    e = ExAllocatePoolWithTagPriority(PagedPool, 8, 'gaT1', LowPoolPriority); // expect: NX3004:note
    // The successors and the wrappers that are not deprecated:
    g = ExAllocatePool2(POOL_FLAG_PAGED, 8, 'gaT1');
    h = ExAllocatePoolZero(PagedPool, 8, 'gaT1');
    i = ExAllocatePoolUninitialized(PagedPool, 8, 'gaT1');
    j = ExAllocatePoolPriorityZero(PagedPool, 8, 'gaT1', LowPoolPriority);
}
