/* <ntddk.h> for unchanged driver sources: wdm.h plus the ntddk.h pieces the
 * pool API has. As in the WDK, with pool tagging on, ExFreePool(p) becomes
 * ExFreePoolWithTag(p, 0) - "free whatever the tag is". */
#ifndef NXPOOL_COMPAT_NTDDK_H
#define NXPOOL_COMPAT_NTDDK_H
#include "../wdm.h"

#ifndef PROTECTED_POOL
#define PROTECTED_POOL 0 /* deprecated; 0 in WDK 10 */
#endif

#if POOL_TAGGING
#define ExFreePool(a) ExFreePoolWithTag((a), 0)
#endif

#endif
