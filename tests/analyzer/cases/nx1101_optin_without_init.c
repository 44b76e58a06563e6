// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h> // expect: NX1101
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); // expect: NX2001
    m = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); // expect: NX2004
    ExInitializeNPagedLookasideList(&l, NULL, NULL, 0, 64, 'gaT1', 0); // expect: NX2005
    return 0;
}
