// nxpool-args: --arch arm64 -DPOOL_NX_OPTIN=1   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    return 0;
}
