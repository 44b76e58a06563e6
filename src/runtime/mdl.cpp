// Layer 5: memory descriptor lists.
//
// An MDL here describes a range of this process's memory. Building it for
// nonpaged pool, probing and locking only set the flags the WDK's inline
// helpers test (MmGetSystemAddressForMdlSafe returns MappedSystemVa when
// MDL_MAPPED_TO_SYSTEM_VA or MDL_SOURCE_IS_NONPAGED_POOL is set).
//
// A "system mapping" is the range's own address: user mode has no second
// view of private memory to hand out, so the mapping keeps the protection
// the memory already has whatever Priority asks. What Priority asks is still
// checked: with the code-integrity verifier on, a kernel-mode mapping
// without MdlMappingNoExecute is the bug check 0xC4/0x2002 that Driver
// Verifier raises, and the mapping fails if a handler lets it continue.
//
// Tested by tests/runtime/verifier_test.cpp (mapping, opt-in wrapper, verifier).
#include <cstdint>
#include <cstdlib>

#include "report.h"
#include "verifier.h"

namespace {

constexpr ULONG_PTR k_page = 4096;

PVOID mdl_address(const MDL *mdl) {
  return static_cast<char *>(mdl->StartVa) + mdl->ByteOffset;
}

}  // namespace

using namespace nxpool::rt;

extern "C" {

PMDL NTAPI IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                         BOOLEAN ChargeQuota, struct _IRP *Irp) {
  (void)SecondaryBuffer;
  (void)ChargeQuota;
  (void)Irp;
  if (Length == 0) return nullptr;
  auto *mdl = static_cast<PMDL>(std::calloc(1, sizeof(MDL)));
  if (mdl == nullptr) return nullptr;
  auto va = reinterpret_cast<ULONG_PTR>(VirtualAddress);
  mdl->Size = static_cast<CSHORT>(sizeof(MDL));
  mdl->StartVa = reinterpret_cast<PVOID>(va & ~(k_page - 1));
  mdl->ByteOffset = static_cast<ULONG>(va & (k_page - 1));
  mdl->ByteCount = Length;
  return mdl;
}

VOID NTAPI IoFreeMdl(PMDL Mdl) { std::free(Mdl); }

VOID NTAPI MmBuildMdlForNonPagedPool(PMDL Mdl) {
  Mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
  Mdl->MappedSystemVa = mdl_address(Mdl);
}

VOID NTAPI MmProbeAndLockPages(PMDL Mdl, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation) {
  (void)AccessMode;
  if (Operation != IoReadAccess) Mdl->MdlFlags |= MDL_WRITE_OPERATION;
  Mdl->MdlFlags |= MDL_PAGES_LOCKED;
}

VOID NTAPI MmUnlockPages(PMDL Mdl) {
  Mdl->MdlFlags &= static_cast<CSHORT>(~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION));
}

PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL Mdl, KPROCESSOR_MODE AccessMode,
                                         MEMORY_CACHING_TYPE CacheType, PVOID RequestedAddress,
                                         ULONG BugCheckOnFailure, ULONG Priority) {
  (void)CacheType;
  (void)RequestedAddress;
  (void)BugCheckOnFailure;
  // User-mode mappings are always no-execute; kernel ones only on request.
  if (AccessMode == KernelMode && (Priority & MdlMappingNoExecute) == 0 &&
      code_integrity_checks()) {
    bugcheck(k_driver_verifier_violation, k_dv_executable_mdl_mapping,
             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)), Priority, 0,
             __builtin_return_address(0));
    return nullptr;
  }
  Mdl->MappedSystemVa = mdl_address(Mdl);
  Mdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
  return Mdl->MappedSystemVa;
}

VOID NTAPI MmUnmapLockedPages(PVOID BaseAddress, PMDL Mdl) {
  (void)BaseAddress;
  Mdl->MdlFlags &= static_cast<CSHORT>(~MDL_MAPPED_TO_SYSTEM_VA);
}

}  // extern "C"
