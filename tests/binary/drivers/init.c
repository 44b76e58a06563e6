/* DriverEntry in the INIT section, as drivers do with #pragma alloc_text. */
#include "kernel.h"
__attribute__((section("INIT"))) __declspec(dllexport) NTSTATUS DriverEntry(void* driver, void* path) {
  void* a = ExAllocatePoolWithTag(512, 64, TAG);
  return (a && driver && path) ? 0 : 1;
}
