// nxpool-mode: none
#include <wdm.h>
_When_(PoolType == NonPagedPoolMustSucceed, _Raises_SEH_exception_)
_When_((PoolType & NonPagedPoolMustSucceed) != 0, __drv_reportError("Must succeed pool allocations are forbidden."))
__drv_allocatesMem(Mem) PVOID MyAlloc(__drv_strictTypeMatch(__drv_typeExpr) POOL_TYPE PoolType, SIZE_T n);
void f(POOL_TYPE t)
{
    _Analysis_assume_(t != NonPagedPool);
    __analysis_assume(t == NonPagedPoolExecute);
}
