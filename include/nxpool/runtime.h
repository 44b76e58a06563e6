/*
 * nxpool/runtime.h - libnxpool's own API next to the WDK names.
 *
 * (First version by the lead; the runtime owner extends it.)
 */
#ifndef NXPOOL_RUNTIME_H
#define NXPOOL_RUNTIME_H

#include "ntdef.h"

NXPOOL_EXTERN_C_BEGIN

/* 1 when the live pool block at p lies on executable pages, 0 when on
 * no-execute pages, -1 when p is not a live pool block. Thread-safe. */
int nxpool_is_executable(const void *p);

/* Sets the OS version RtlGetVersion reports (and so what
 * ExInitializeDriverRuntime decides). Default 10.0; the environment variable
 * NXPOOL_OS_VERSION ("6.1") sets it at start-up. */
void nxpool_set_os_version(unsigned major, unsigned minor);

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_RUNTIME_H */
