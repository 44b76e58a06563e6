// nxpool-args: --arch x86 -DPOOL_NX_OPTIN   nxpool-mode: optin
#include <wdm.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); p = ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); return 0; }
