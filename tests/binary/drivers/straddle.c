/* A pointer stored across a page boundary: its base relocation straddles
 * two pages (NX4004). The pointer is the only initialised data, so .data
 * starts with it and the packed padding puts it at offset 0xffd. */
#include "kernel.h"
static int target;
#pragma pack(push, 1)
struct straddle { char pad[4093]; int* p; };
#pragma pack(pop)
__declspec(dllexport) struct straddle Straddle = {{1}, &target};
__declspec(dllexport) NTSTATUS DriverEntry(void* driver, void* path) {
  void* a = ExAllocatePoolWithTag(512, 64, TAG);
  return (a && driver && path && Straddle.p) ? 0 : 1;
}
