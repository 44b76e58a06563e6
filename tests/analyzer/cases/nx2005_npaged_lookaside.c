// nxpool-mode: none
#include <wdm.h>
void f(void)
{
    ExInitializeNPagedLookasideList(&a, NULL, NULL, 0, 64, 'gaT1', 0); // expect: NX2005
    ExInitializeNPagedLookasideList(&b, NULL, NULL, POOL_NX_ALLOCATION, 64, 'gaT1', 0);
    ExInitializeNPagedLookasideList(&c, NULL, NULL, POOL_RAISE_IF_ALLOCATION_FAILURE, 64, 'gaT1', 0); // expect: NX2005
    ExInitializeNPagedLookasideList(&d, NULL, NULL, flags, 64, 'gaT1', 0);
}
