// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h>
static void InitRuntime(void)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1104
}
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    InitRuntime();
    return 0;
}
