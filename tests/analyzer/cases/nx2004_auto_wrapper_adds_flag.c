// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
void f(PMDL mdl) { a = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); }
