// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <wdm.h>
#undef POOL_NX_OPTIN_AUTO
#define POOL_NX_OPTIN_AUTO 1
