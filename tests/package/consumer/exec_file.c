#include <wdm.h>
const char *exec_file_mode(void) { return NXPOOL_NX_MODE_NAME; }
void *exec_file_alloc(void) { return ExAllocatePoolWithTag(NonPagedPool, 32, 'xEoC'); }
