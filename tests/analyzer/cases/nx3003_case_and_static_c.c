// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h>
static POOL_TYPE g_default = NonPagedPool; // expect: NX3003
enum { MY_POOL = NonPagedPool }; // expect: NX3003
const char* name(POOL_TYPE t)
{
    switch (t) {
    case NonPagedPool: return "np"; // expect: NX3003
    default: return "?";
    }
}
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); return 0; }
