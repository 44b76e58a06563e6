// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1102
    return 0;
}
