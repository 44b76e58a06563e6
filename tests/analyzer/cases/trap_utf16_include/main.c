// nxpool-mode: auto
#include "settings.h"
#include <wdm.h>
void f(void) { p = MY_ALLOC(8); q = MmMapIoSpace(a, b, c); } // expect: NX2003
