// nxpool-args: -DPOOL_NX_OPTIN=1 -DPOOL_NX_OPTIN_AUTO=1   nxpool-mode: auto
#include <ntddk.h> // expect: NX1004:error
