/* The few kernel declarations the test drivers need, written for these
 * tests (no WDK): every import is __declspec(dllimport), as NTKERNELAPI is,
 * so calls go through the import address table. */
#ifndef NXPOOL_TEST_KERNEL_H
#define NXPOOL_TEST_KERNEL_H
typedef unsigned long ULONG;
typedef unsigned long long SIZE_T;
typedef long long PHYS;
typedef long NTSTATUS;
#define IMPORT __declspec(dllimport)
IMPORT void* ExAllocatePoolWithTag(int type, SIZE_T n, ULONG tag);
IMPORT void* ExAllocatePool2(unsigned long long flags, SIZE_T n, ULONG tag);
IMPORT void ExFreePoolWithTag(void* p, ULONG tag);
IMPORT void* MmMapLockedPagesSpecifyCache(void* mdl, char mode, int cache, void* at, ULONG bugcheck, ULONG prio);
IMPORT void ExInitializeNPagedLookasideList(void* l, void* a, void* f, ULONG flags, SIZE_T n, ULONG tag, unsigned short depth);
IMPORT void* MmMapIoSpaceEx(PHYS pa, SIZE_T n, ULONG protect);
IMPORT void* MmMapIoSpace(PHYS pa, SIZE_T n, int cache);
IMPORT void* MmAllocateContiguousNodeMemory(SIZE_T n, PHYS lo, PHYS hi, PHYS boundary, ULONG protect, ULONG node);
IMPORT void* MmAllocateContiguousMemory(SIZE_T n, PHYS hi);
#define TAG 0x6c6f6f50u
#endif
