#include <ntddk.h>
void *f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 0x41424344); }
