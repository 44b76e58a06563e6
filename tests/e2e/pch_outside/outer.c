#include "precomp.h"

void *outer_alloc(void) { return ExAllocatePoolWithTag(NonPagedPool, 16, 0x4F757472); }
