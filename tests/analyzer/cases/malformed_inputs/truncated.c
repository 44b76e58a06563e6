// nxpool-mode: none
#include <wdm.h>
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); } // expect: NX2001
/* never closed // expect-diag: error
