/* A driver on the deprecated allocators, for a Windows 10 2004 target (the
 * test passes -DNTDDI_VERSION=NTDDI_WIN10_VB; .nxpool.toml turns NX3004 on).
 * tests/fix/run_compile.sh fixes a copy, compiles it and runs its
 * DriverEntry against libnxpool: the blocks must still come back zeroed
 * after the fix has removed the RtlZeroMemory/memset calls. */
#define POOL_NX_OPTIN_AUTO 1
#include <ntddk.h>
#include <string.h>

typedef struct _RECORD {
    ULONG Count;
    UCHAR Bytes[60];
} RECORD;

static int all_zero(const void *p, SIZE_T n)
{
    const UCHAR *c = (const UCHAR *)p;
    SIZE_T i;
    for (i = 0; i < n; ++i) {
        if (c[i] != 0) return 0;
    }
    return 1;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    RECORD *r;
    PVOID q;
    PVOID s;
    NTSTATUS status = STATUS_SUCCESS;
    (void)driver;
    (void)path;
    r = (RECORD *)ExAllocatePoolWithTag(NonPagedPool, sizeof(RECORD), 'xN31');
    if (r == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(r, sizeof(RECORD));
    q = ExAllocatePoolWithQuotaTag(PagedPool, 128, 'xN32');
    s = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 256, 'xN33', NormalPoolPriority);
    if (!s) {
        ExFreePoolWithTag(q, 'xN32');
        ExFreePoolWithTag(r, 'xN31');
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(s, 0, 256);
    if (!all_zero(r, sizeof(RECORD)) || !all_zero(s, 256) || !all_zero(q, 128)) {
        status = STATUS_UNSUCCESSFUL;
    }
    ExFreePoolWithTag(s, 'xN33');
    ExFreePoolWithTag(q, 'xN32');
    ExFreePoolWithTag(r, 'xN31');
    return status;
}
