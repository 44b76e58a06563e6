/* A driver that asks for executable memory in every way NX4005/NX4006 know. */
#include "kernel.h"
static char lookaside[128];
__declspec(dllexport) __attribute__((noinline)) void* AllocExec(void) {
  return ExAllocatePoolWithTag(0, 64, TAG);              /* NonPagedPool */
}
__declspec(dllexport) __attribute__((noinline)) void* AllocFlags(void) {
  return ExAllocatePool2(0x80, 64, TAG);                 /* POOL_FLAG_NON_PAGED_EXECUTE */
}
__declspec(dllexport) __attribute__((noinline)) void* MapMdl(void* mdl) {
  return MmMapLockedPagesSpecifyCache(mdl, 0, 1, 0, 0, 16); /* NormalPagePriority, no NoExecute */
}
__declspec(dllexport) __attribute__((noinline)) void InitList(void) {
  ExInitializeNPagedLookasideList(lookaside, 0, 0, 0, 64, TAG, 0);
}
__declspec(dllexport) __attribute__((noinline)) void* MapIo(void) {
  return MmMapIoSpaceEx(0xfee00000, 4096, 0x240);        /* PAGE_EXECUTE_READWRITE | NOCACHE */
}
__declspec(dllexport) __attribute__((noinline)) void* Contig(void) {
  return MmAllocateContiguousNodeMemory(8192, 0, 0xffffffff, 0, 0x40, 0x80000000u);
}
__declspec(dllexport) __attribute__((noinline)) void* OldApis(void) {
  void* p = MmMapIoSpace(0xfee00000, 4096, 0);
  void* q = MmAllocateContiguousMemory(8192, 0xffffffff);
  return p ? p : q;
}
__declspec(dllexport) NTSTATUS DriverEntry(void* driver, void* path) {
  void* a = AllocExec();
  void* b = AllocFlags();
  void* c = MapMdl(driver);
  InitList();
  void* d = MapIo();
  void* e = Contig();
  void* f = OldApis();
  void* g = ExAllocatePoolWithTag(4, 32, TAG);           /* NonPagedPoolCacheAligned, in DriverEntry */
  return (a && b && c && d && e && f && g && path) ? 0 : 1;
}
