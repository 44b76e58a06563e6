/* Ordinary data: written as legacy code writes it, with NonPagedPool. The
 * opt-in turns that into no-execute pool without touching this line. */
#include "driver.h"

const char *buffers_file_mode(void) { return NXPOOL_NX_MODE_NAME; }

NTSTATUS buffers_create(SIZE_T size) {
  g_state.RingBuffer = ExAllocatePoolWithTag(NonPagedPool, size, TAG_BUFFER);
  if (g_state.RingBuffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  RtlZeroMemory(g_state.RingBuffer, size);
  g_state.RingBufferSize = size;
  g_state.RingBufferPoolType = (int)NonPagedPool;
  return STATUS_SUCCESS;
}

VOID buffers_destroy(void) {
  if (g_state.RingBuffer != NULL) {
    ExFreePoolWithTag(g_state.RingBuffer, TAG_BUFFER);
    g_state.RingBuffer = NULL;
  }
}
