// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h> // expect: NX1101
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
    ExInitializeDriverRuntime(0); // expect: NX1103
    return 0;
}
