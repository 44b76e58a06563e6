// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(void)
{
    a = ExAllocatePoolWithTag(0, 8, 'gaT1'); // expect: NX2001
    b = ExAllocatePoolWithTag((POOL_TYPE)0, 8, 'gaT1'); // expect: NX2001
    c = ExAllocatePoolWithTag(1, 8, 'gaT1');
    ExInitializeLookasideListEx(&l, NULL, NULL, 0, 0, 64, 'gaT1', 0); // expect: NX2001
}
