#define POOL_NX_OPTIN 1
#include <ntddk.h>
