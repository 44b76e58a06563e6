// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optout
#define POOL_NX_OPTOUT 1
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1102
    return 0;
}
