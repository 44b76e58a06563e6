// nxpool-mode: none
#include <wdm.h>
POOL_TYPE g_type = NonPagedPool; // expect: NX2001
POOL_TYPE pick(int paged)
{
    POOL_TYPE t;
    t = NonPagedPoolCacheAligned; // expect: NX2001
    if (paged) return PagedPool;
    return NonPagedPool; // expect: NX2001
}
