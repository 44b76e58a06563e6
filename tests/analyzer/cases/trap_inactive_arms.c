// nxpool-mode: none
#include <wdm.h>
#if 0
void dead(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
#endif
#ifdef _KERNEL_MODE
void live(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
#else
void user(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
#endif
#if defined(_X86_)
void x86only(void) { p = MmMapIoSpace(a, b, c); }
#endif
