// nxpool-mode: none
#include <wdm.h>
#define MY_TAG 'gaT1'
#define MY_POOL_TYPE NonPagedPool
#define ALLOC_NP(n) ExAllocatePoolWithTag(MY_POOL_TYPE, (n), MY_TAG)
#define ALLOC_TYPED(T) ((T*)ALLOC_NP(sizeof(T)))
#define MAP(m) MmGetSystemAddressForMdlSafe((m), NormalPagePriority)
void f(PMDL mdl)
{
    a = ALLOC_NP(64); // expect: NX2001
    b = ALLOC_TYPED(struct foo); // expect: NX2001
    c = MAP(mdl); // expect: NX2004
    d = ExAllocatePoolWithTag(MY_POOL_TYPE, 8, MY_TAG); // expect: NX2001
}
