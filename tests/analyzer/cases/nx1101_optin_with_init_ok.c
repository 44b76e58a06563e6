// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1');
    m = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);
    ExInitializeNPagedLookasideList(&l, NULL, NULL, 0, 64, 'gaT1', 0);
    return 0;
}
