/* A driver written before NX pool existed: every site `nxpool fix` rewrites
 * by default. tests/fix/run_compile.sh fixes a copy and compiles it. */
#include <ntddk.h>

static NPAGED_LOOKASIDE_LIST g_lookaside;

static PVOID map_buffer(PMDL mdl)
{
    return MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);
}

static PVOID map_buffer_specify(PMDL mdl)
{
    return MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, NULL, FALSE,
                                        HighPagePriority);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    PVOID a = ExAllocatePoolWithTag(NonPagedPool, 64, 'xfN1');
    PVOID b = ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 64, 'xfN2');
    PVOID c = ExAllocatePool2(PagedPool, 64, 'xfN3');
    PVOID d = ExAllocatePool2(NonPagedPoolNx,
                              64, 'xfN4');
    (void)driver;
    (void)path;
    (void)map_buffer;
    (void)map_buffer_specify;
    ExInitializeNPagedLookasideList(&g_lookaside, NULL, NULL, 0, 32, 'xfN5', 0);
    ExFreePoolWithTag(a, 'xfN1');
    ExFreePoolWithTag(b, 'xfN2');
    if (c) ExFreePoolWithTag(c, 'xfN3');
    if (d) ExFreePoolWithTag(d, 'xfN4');
    return STATUS_SUCCESS;
}
