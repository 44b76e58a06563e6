// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include "precomp_missing.h"
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
