#include <ntddk.h>
void *f(void) { return ExAllocatePoolWithTag(NonPagedPool, 16, 0x64727620); }
