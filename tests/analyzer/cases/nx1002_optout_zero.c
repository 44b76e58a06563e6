// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#define POOL_NX_OPTOUT 0 // expect: NX1002:warning
#include <ntddk.h>
