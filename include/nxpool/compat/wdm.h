/* <wdm.h> for unchanged driver sources: put include/nxpool/compat on the
 * include path (nxpool::headers and nxpool.pc do). */
#ifndef NXPOOL_COMPAT_WDM_H
#define NXPOOL_COMPAT_WDM_H
#include "../wdm.h"
#endif
