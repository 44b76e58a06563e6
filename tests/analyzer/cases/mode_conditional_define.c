// nxpool-mode: auto
// The opt-in depends on a macro the scan cannot see: the mode is reported as
// AUTO (the arm is analysed) and marked conditional, and what happens
// without the definition is reported under the negated condition.
#if (NTDDI_VERSION >= NTDDI_WIN8)
#define POOL_NX_OPTIN_AUTO 1
#endif
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
void g(void) { q = MmMapIoSpace(a, b, c); } // expect: NX2003
