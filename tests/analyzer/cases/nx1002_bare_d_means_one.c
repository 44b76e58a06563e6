// nxpool-args: -DPOOL_NX_OPTIN_AUTO   nxpool-mode: auto
#include <ntddk.h>
