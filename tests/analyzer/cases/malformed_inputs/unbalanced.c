// nxpool-mode: none
#include <wdm.h>
#endif // expect-diag: warning
#if DBG // expect-diag: warning
void f(void) { q = MmMapIoSpace(a, b, c); } // expect: NX2003
