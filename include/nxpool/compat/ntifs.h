/* <ntifs.h> for unchanged driver sources (file system and filter drivers):
 * everything ntddk.h has. */
#ifndef NXPOOL_COMPAT_NTIFS_H
#define NXPOOL_COMPAT_NTIFS_H
#include "ntddk.h"
#endif
