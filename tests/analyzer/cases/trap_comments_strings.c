// nxpool-mode: none
#include <wdm.h>
// Allocate from NonPagedPool here. ExAllocatePoolWithTag(NonPagedPool, ...)
/* NonPagedPool
   MmMapIoSpace(x) */
static const char* kName = "NonPagedPool";
static const wchar_t* kWide = L"ExAllocatePoolWithTag(NonPagedPool, 1, 1)";
static const char kRaw[] = R"(NonPagedPool)";
char c = 'N';
