/* An NX-clean driver: NX pool, NX flags, a non-executable I/O mapping. */
#include "kernel.h"
static char lookaside[128];
int Counter = 5; /* initialised data: the image has a .data section */
__declspec(dllexport) NTSTATUS DriverEntry(void* driver, void* path) {
  void* a = ExAllocatePoolWithTag(512, 64, TAG); /* NonPagedPoolNx */
  void* b = ExAllocatePool2(0x40, 64, TAG);      /* POOL_FLAG_NON_PAGED */
  void* c = ExAllocatePoolWithTag(1, 64, TAG);   /* PagedPool */
  void* m = MmMapLockedPagesSpecifyCache(driver, 0, 1, 0, 0, 0x40000010); /* Normal | NoExecute */
  ExInitializeNPagedLookasideList(lookaside, 0, 0, 512, 64, TAG, 0);       /* POOL_NX_ALLOCATION */
  void* io = MmMapIoSpaceEx(0xfee00000, 4096, 0x204);                     /* READWRITE | NOCACHE */
  ExFreePoolWithTag(a, TAG);
  ExFreePoolWithTag(b, TAG);
  ExFreePoolWithTag(c, TAG);
  return (m && io && path && Counter) ? 0 : 1;
}
