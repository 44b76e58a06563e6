// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#define POOL_NX_OPTOUT // expect: NX1002:error
#include <ntddk.h>
