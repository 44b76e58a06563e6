// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 -DPOOL_ZERO_DOWN_LEVEL_SUPPORT=1   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(0);
    return 0;
}
