// nxpool-mode: optin
#include "inc/project.h"
void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1'); }
