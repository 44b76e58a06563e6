// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
// NX3004 runs only when turned on (fix --rule NX3004, or the config file).
#include <wdm.h>
void f(void)
{
    b = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1');
}
