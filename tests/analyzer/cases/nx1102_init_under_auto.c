// Issue 9 item 8: under AUTO NonPagedPool is already NX, so a call to
// ExInitializeDriverRuntime(DrvRtPoolNxOptIn) is harmless: a note, so a
// correctly opted-in driver exits 0.
// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1102:note
    return 0;
}
