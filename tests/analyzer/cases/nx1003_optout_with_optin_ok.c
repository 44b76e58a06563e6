// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: optout
#define POOL_NX_OPTOUT 1
#include <wdm.h>
