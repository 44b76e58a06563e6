// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 -DPOOL_NX_OPTOUT=   expect: NX1002:error   nxpool-mode: auto
#include <ntddk.h>
