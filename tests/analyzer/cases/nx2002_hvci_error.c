// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 --hvci   nxpool-mode: auto
#include <wdm.h>
void f(void) { a = ExAllocatePoolWithTag(NonPagedPoolExecute, 8, 'gaT1'); } // expect: NX2002:error
