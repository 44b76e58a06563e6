/* DriverEntry and unload. Opted in with POOL_NX_OPTIN=1 like the rest of the
 * target, which matters: ExInitializeDriverRuntime only does something in a
 * file that is itself OPTIN (docs/mechanism.md section 3.2). */
#include "driver.h"

DRIVER_STATE g_state;

static DRIVER_UNLOAD DriverUnload;

const char *driver_file_mode(void) { return NXPOOL_NX_MODE_NAME; }

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);

  /* First thing, before any NonPagedPool allocation: on Windows 8 and later
   * NonPagedPool now means NonPagedPoolNx in every OPTIN file. */
  ExInitializeDriverRuntime(DrvRtPoolNxOptIn);

  NTSTATUS status = buffers_create(4096);
  if (!NT_SUCCESS(status)) return status;
  status = thunk_create(42);
  if (!NT_SUCCESS(status)) {
    buffers_destroy();
    return status;
  }
  DriverObject->DriverUnload = DriverUnload;
  return STATUS_SUCCESS;
}

static VOID NTAPI DriverUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  thunk_destroy();
  buffers_destroy();
}
