// nxpool-args: --arch arm64   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1102:note
    return 0;
}
