// Issue 9 item 8: with POOL_ZERO_DOWN_LEVEL_SUPPORT the call is not
// "nothing" (spec §1.5: it probes pool zeroing), but its NX flag still does
// nothing in a file that is not OPTIN: still a warning there.
// nxpool-args: -DPOOL_ZERO_DOWN_LEVEL_SUPPORT=1   nxpool-mode: none
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn); // expect: NX1102:warning
    return 0;
}
