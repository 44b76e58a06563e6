// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    g = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1');
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1104
    return 0;
}
