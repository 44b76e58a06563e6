// nxpool-args: --arch arm64 -DPOOL_NX_OPTIN=1 -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <ntddk.h>
