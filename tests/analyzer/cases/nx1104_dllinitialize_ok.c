// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <wdm.h>
NTSTATUS DllInitialize(PUNICODE_STRING RegistryPath)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    g = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1');
    return 0;
}
