// nxpool-args: -Iinc   nxpool-mode: optin
#include "project.h"
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1');
    return 0;
}
