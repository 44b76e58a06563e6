/* Driver code opted in with POOL_NX_OPTIN_AUTO (set by CMake): its
 * NonPagedPool is NonPagedPoolNx and its MDL mappings get
 * MdlMappingNoExecute from the header's wrapper, so the code-integrity
 * verifier has nothing to object to (spec 1.3, 6). */
#include <nxpool/wdm.h>

#if !POOL_NX_OPTIN_AUTO
#error "verifier_auto.c must be compiled with POOL_NX_OPTIN_AUTO=1"
#endif

PVOID verifier_auto_alloc(SIZE_T bytes, ULONG tag) {
  return ExAllocatePoolWithTag(NonPagedPool, bytes, tag);
}

PVOID verifier_auto_map(PMDL mdl) { return MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); }
