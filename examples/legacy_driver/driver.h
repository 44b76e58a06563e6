/* legacy_driver: a three-file "driver" ported to NX pool the WDK way.
 *
 *   driver.c  DriverEntry + unload; opted in (POOL_NX_OPTIN=1 for the whole
 *             target, see CMakeLists.txt) and the one place that calls
 *             ExInitializeDriverRuntime(DrvRtPoolNxOptIn).
 *   buffers.c ordinary data buffers from NonPagedPool; opted in, so they
 *             come from no-execute pool once DriverEntry has run.
 *   thunk.c   copies a tiny machine-code routine into NonPagedPool and
 *             calls it; it needs executable pool, so it opts out with
 *             `#define POOL_NX_OPTOUT 1` above its first include.
 *
 * host.c plays the part of the kernel: it loads the driver, shows what each
 * file got, and unloads it. */
#ifndef LEGACY_DRIVER_H
#define LEGACY_DRIVER_H

#include <ntddk.h>

#define TAG_BUFFER 'fuBL' /* shows as "LBuf" */
#define TAG_THUNK 'knhT'  /* shows as "Thnk" */

typedef struct _DRIVER_STATE {
  PVOID RingBuffer;        /* from buffers.c */
  SIZE_T RingBufferSize;
  int RingBufferPoolType;  /* what NonPagedPool meant in buffers.c */
  PVOID Thunk;             /* from thunk.c */
  int ThunkPoolType;       /* what NonPagedPool meant in thunk.c */
} DRIVER_STATE;

extern DRIVER_STATE g_state;

/* Each file reports the NX mode it was compiled with. */
const char *driver_file_mode(void);
const char *buffers_file_mode(void);
const char *thunk_file_mode(void);

NTSTATUS buffers_create(SIZE_T size);
VOID buffers_destroy(void);
NTSTATUS thunk_create(int answer);
int thunk_call(void);
VOID thunk_destroy(void);

DRIVER_INITIALIZE DriverEntry;

#endif
