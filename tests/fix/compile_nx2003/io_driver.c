/* Executable-only memory APIs (NX2003) as an old driver calls them;
 * tests/fix/run_compile.sh fixes a copy and compiles the result against
 * nxpool's headers, which declare the successors. */
#include <ntddk.h>

static PVOID map_registers(PHYSICAL_ADDRESS pa)
{
    return MmMapIoSpace(pa, 4096, MmNonCached);
}

static PVOID map_frame_buffer(PHYSICAL_ADDRESS pa)
{
    return MmMapIoSpace(pa,
                        1 << 20, MmWriteCombined);
}

static PVOID dma_buffer(PHYSICAL_ADDRESS highest)
{
    return MmAllocateContiguousMemory(8192, highest);
}

static PVOID dma_buffer_cached(PHYSICAL_ADDRESS low, PHYSICAL_ADDRESS high, PHYSICAL_ADDRESS boundary)
{
    return MmAllocateContiguousMemorySpecifyCache(8192, low, high, boundary, MmCached);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    (void)driver;
    (void)path;
    (void)map_registers;
    (void)map_frame_buffer;
    (void)dma_buffer;
    (void)dma_buffer_cached;
    return STATUS_SUCCESS;
}
