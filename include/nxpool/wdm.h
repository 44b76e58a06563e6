/*
 * nxpool/wdm.h - umbrella header: the WDK pool surface plus the NX opt-in.
 *
 * Include it (directly, or as <wdm.h>/<ntddk.h>/<ntifs.h> through
 * include/nxpool/compat) the way a driver includes the WDK's wdm.h. Set the
 * opt-in macros BEFORE the first include of this header in a translation
 * unit - on the command line (POOL_NX_OPTIN=1 / POOL_NX_OPTIN_AUTO=1 /
 * POOL_NX_OPTOUT=1) or with #define above the include. They are read once,
 * here, and later definitions change nothing (see nxpool/nx_optin.h).
 *
 * Also brings in <nxpool/runtime.h>, libnxpool's own extension API.
 */
#ifndef NXPOOL_WDM_H
#define NXPOOL_WDM_H

#include "ntdef.h"
#include "sal.h"
#include "pool.h"
#include "lookaside.h"
#include "mdl.h"
#include "memory.h"
#include "nx_optin.h"
#include "runtime.h"

#endif /* NXPOOL_WDM_H */
