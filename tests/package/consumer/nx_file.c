#include <ntddk.h> /* through nxpool's compat directory */
const char *nx_file_mode(void) { return NXPOOL_NX_MODE_NAME; }
void *nx_file_alloc(void) { return ExAllocatePoolWithTag(NonPagedPool, 32, 'xNoC'); }
