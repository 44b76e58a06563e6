// nxpool-mode: none
#include <wdm.h>
BOOLEAN IsExecutable(POOL_TYPE type)
{
    if (type & NonPagedPoolExecute) return TRUE; // expect: NX3002
    if ((type & NonPagedPool) != 0) return TRUE; // expect: NX3002
    return (type & NonPagedPoolNx) == 0;
}
