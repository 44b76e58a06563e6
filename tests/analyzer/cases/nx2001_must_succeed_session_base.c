// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 8, 'gaT1'); // expect: NX2001
    b = ExAllocatePoolWithTag(NonPagedPoolSession, 8, 'gaT1'); // expect: NX2001
    c = ExAllocatePoolWithTag(NonPagedPoolBaseCacheAligned, 8, 'gaT1'); // expect: NX2001
    d = ExAllocatePoolWithTag(NonPagedPoolSessionNx, 8, 'gaT1');
}
