// nxpool-mode: none
#include <wdm.h>
#define ALLOC(n) \
    ExAllocatePoolWithTag(NonPagedPool, \
                          (n), 'gaT1')
void f(void) { p = ALLOC(8); } // expect: NX2001
