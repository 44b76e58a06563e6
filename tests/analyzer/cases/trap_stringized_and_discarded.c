// nxpool-mode: none
#include <wdm.h>
#define STR(x) #x
#define IGNORE(x)
#define FIRST(a, b) a
void f(void)
{
    const char* s = STR(NonPagedPool);
    IGNORE(ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'));
    p = FIRST(ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1'), NonPagedPool);
    q = FIRST(ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'), 0); // expect: NX2001
}
