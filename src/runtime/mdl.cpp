// Layer 5: memory descriptor lists.
//
// An MDL describes a range of this process's memory. MDLs are pool blocks
// (nonpaged NX, tag "Mdl "), so a double IoFreeMdl is the pool's double-free
// bug check rather than a crash inside the C library. The WDK's inline
// helpers test the flags (MmGetSystemAddressForMdlSafe returns
// MappedSystemVa when MDL_MAPPED_TO_SYSTEM_VA or MDL_SOURCE_IS_NONPAGED_POOL
// is set), so every call keeps them as Windows does.
//
// Misuse is caught the way Driver Verifier catches it, as bug check 0xC4
// with the MDL in P2 and its flags in P3 (subcodes as nxpool assigns them,
// see docs/verifier.md): mapping an MDL whose pages are not locked (0x85),
// mapping one that is already mapped (0xB2), mapping one built for nonpaged
// pool, which needs no mapping (0xB3), unlocking pages that were never
// locked (0x7C), freeing an MDL that is still mapped (0xB8), and unmapping
// an address that is not the MDL's mapping (0x10). Probing a range that is
// not readable (unmapped or no-access) raises STATUS_ACCESS_VIOLATION, as
// MmProbeAndLockPages does.
//
// A mapping is a real second view of the same pages, with its own
// protection, wherever the pages are simulated physical memory (physmem.h):
// contiguous memory and I/O space always, pool segments when MDL views are
// on (nxpool_set_mdl_views, NXPOOL_MDL_VIEWS=1), so each page of the range
// is mapped again from its physical address. The view is readable; writable unless
// MdlMappingNoWrite; executable only for a kernel-mode mapping without
// MdlMappingNoExecute (user-mode mappings are always no-execute). Memory
// with no physical address (stack, malloc, large pool blocks, the pool of a
// forked child) cannot be viewed twice: its mapping is its own address,
// keeping its own protection.
//
// The code-integrity verifier checks what Priority asks: a kernel-mode
// mapping without MdlMappingNoExecute is bug check 0xC4/0x2002.
//
// Tested by tests/runtime/verifier_test.cpp and hostile_test.cpp.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>

#include "arena.h"
#include "fork_gate.h"
#include "heap.h"
#include "physmem.h"
#include "pool_api.h"
#include "report.h"
#include "verifier.h"

namespace {

using namespace nxpool::rt;

constexpr ULONG_PTR k_page = 4096;
constexpr ULONG k_mdl_tag = 0x206C644D;  // "Mdl "

constexpr ULONG_PTR k_dv_mdl_unlocked_map = 0x85;
constexpr ULONG_PTR k_dv_mdl_mapped_twice = 0xB2;
constexpr ULONG_PTR k_dv_mdl_nonpaged_map = 0xB3;
constexpr ULONG_PTR k_dv_mdl_unlock_unlocked = 0x7C;
constexpr ULONG_PTR k_dv_mdl_freed_mapped = 0xB8;

PVOID mdl_address(const MDL *mdl) {
  return static_cast<char *>(mdl->StartVa) + mdl->ByteOffset;
}

void mdl_violation(ULONG_PTR what, const MDL *mdl, const void *caller) {
  bugcheck(k_driver_verifier_violation, what, reinterpret_cast<ULONG_PTR>(mdl),
           static_cast<ULONG_PTR>(static_cast<USHORT>(mdl->MdlFlags)), 0, caller);
}

// Whether every page of [start, start + bytes) can be read. The kernel
// reads one byte of each page into a pipe for us: write() fails with EFAULT
// where user code would fault (not mapped, or PROT_NONE), without a signal.
// The byte is read back at once, so the pipe never fills.
int probe_pipe(int end) {
  static int fds[2] = {-1, -1};
  static std::once_flag once;
  std::call_once(once, [] {
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) fds[0] = fds[1] = -1;
  });
  return fds[end];
}

bool range_readable(const void *start, ULONG bytes) {
  if (probe_pipe(1) < 0) return true;  // cannot tell: let the access decide
  const auto first = reinterpret_cast<std::uintptr_t>(start) & ~(k_page - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(start) + bytes;
  for (std::uintptr_t at = first; at < end; at += k_page) {
    const std::uintptr_t from = at < reinterpret_cast<std::uintptr_t>(start)
                                    ? reinterpret_cast<std::uintptr_t>(start)
                                    : at;
    if (write(probe_pipe(1), reinterpret_cast<const void *>(from), 1) != 1) {
      if (errno == EFAULT) return false;
      continue;  // a full pipe or a signal: no verdict for this page
    }
    char sink;
    ssize_t drained = read(probe_pipe(0), &sink, 1);
    (void)drained;
  }
  return true;
}

bool physical_of(const void *page, std::uint64_t *pa) {
  return arena_physical(page, pa) || iospace_physical(page, pa);
}

struct MdlView {
  const MDL *mdl;
  void *first_page;   // of the view; nullptr when the view is the range itself
  std::size_t bytes;  // page-rounded
};

struct Views {
  std::mutex lock;
  std::map<std::uintptr_t, MdlView> by_address;  // address returned -> view
};

Views &views() {
  static auto *v = new Views;  // never destroyed
  return *v;
}

// A second view of the MDL's pages with `prot`, or nullptr when some page
// has no physical address (or the system refuses).
void *map_view(const MDL *mdl, int prot, std::size_t *bytes_out) {
  const auto start = reinterpret_cast<std::uintptr_t>(mdl->StartVa);
  const std::size_t bytes = (mdl->ByteOffset + mdl->ByteCount + k_page - 1) & ~(k_page - 1);
  void *view = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (view == MAP_FAILED) return nullptr;
  std::size_t done = 0;
  while (done < bytes) {
    std::uint64_t pa = 0;
    if (!physical_of(reinterpret_cast<void *>(start + done), &pa)) break;
    // Extend the run while the physical pages stay consecutive.
    std::size_t run = k_page;
    std::uint64_t next = 0;
    while (done + run < bytes && physical_of(reinterpret_cast<void *>(start + done + run), &next) &&
           next == pa + run) {
      run += k_page;
    }
    if (!phys_map_at(static_cast<char *>(view) + done, pa, run, prot)) break;
    done += run;
  }
  if (done < bytes) {
    munmap(view, bytes);
    return nullptr;
  }
  *bytes_out = bytes;
  return view;
}

void remember(PVOID address, const MdlView &v) {
  ForkGuard gate;
  Views &all = views();
  std::lock_guard<std::mutex> hold(all.lock);
  all.by_address[reinterpret_cast<std::uintptr_t>(address)] = v;
}

bool forget(PVOID address, const MDL *mdl, MdlView *out) {
  ForkGuard gate;
  Views &all = views();
  std::lock_guard<std::mutex> hold(all.lock);
  auto it = all.by_address.find(reinterpret_cast<std::uintptr_t>(address));
  if (it == all.by_address.end() || it->second.mdl != mdl) return false;
  *out = it->second;
  all.by_address.erase(it);
  return true;
}

bool has_views(const MDL *mdl) {
  ForkGuard gate;
  Views &all = views();
  std::lock_guard<std::mutex> hold(all.lock);
  for (const auto &entry : all.by_address) {
    if (entry.second.mdl == mdl) return true;
  }
  return false;
}

}  // namespace

#define NXPOOL_CALLER __builtin_return_address(0)

extern "C" {

PMDL NTAPI IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                         BOOLEAN ChargeQuota, struct _IRP *Irp) {
  (void)SecondaryBuffer;
  (void)ChargeQuota;
  (void)Irp;
  if (Length == 0) return nullptr;
  auto *mdl = static_cast<PMDL>(pool_alloc_with_tag(NonPagedPoolNx, sizeof(MDL), k_mdl_tag,
                                                    NXPOOL_CALLER));
  if (mdl == nullptr) return nullptr;
  std::memset(mdl, 0, sizeof *mdl);
  auto va = reinterpret_cast<ULONG_PTR>(VirtualAddress);
  mdl->Size = static_cast<CSHORT>(sizeof(MDL));
  mdl->StartVa = reinterpret_cast<PVOID>(va & ~(k_page - 1));
  mdl->ByteOffset = static_cast<ULONG>(va & (k_page - 1));
  mdl->ByteCount = Length;
  return mdl;
}

VOID NTAPI IoFreeMdl(PMDL Mdl) {
  // Only a live MDL's flags may be read: a freed one is reported by the free.
  BlockInfo info{};
  if (heap_find(Mdl, &info) && info.start == Mdl &&
      ((Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) || has_views(Mdl))) {
    mdl_violation(k_dv_mdl_freed_mapped, Mdl, NXPOOL_CALLER);
    return;
  }
  ExFreePoolWithTag(Mdl, k_mdl_tag);
}

VOID NTAPI MmBuildMdlForNonPagedPool(PMDL Mdl) {
  Mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
  Mdl->MappedSystemVa = mdl_address(Mdl);
}

VOID NTAPI MmProbeAndLockPages(PMDL Mdl, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation) {
  (void)AccessMode;
  if (!range_readable(mdl_address(Mdl), Mdl->ByteCount)) {
    raise_status(STATUS_ACCESS_VIOLATION, NXPOOL_CALLER);
    return;  // a raise handler returned: nothing is locked
  }
  if (Operation != IoReadAccess) Mdl->MdlFlags |= MDL_WRITE_OPERATION;
  Mdl->MdlFlags |= MDL_PAGES_LOCKED;
}

VOID NTAPI MmUnlockPages(PMDL Mdl) {
  if ((Mdl->MdlFlags & MDL_PAGES_LOCKED) == 0) {
    mdl_violation(k_dv_mdl_unlock_unlocked, Mdl, NXPOOL_CALLER);
    return;
  }
  Mdl->MdlFlags &= static_cast<CSHORT>(~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION));
}

PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL Mdl, KPROCESSOR_MODE AccessMode,
                                         MEMORY_CACHING_TYPE CacheType, PVOID RequestedAddress,
                                         ULONG BugCheckOnFailure, ULONG Priority) {
  (void)CacheType;
  (void)RequestedAddress;
  (void)BugCheckOnFailure;
  const void *caller = NXPOOL_CALLER;
  if (Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL) {
    mdl_violation(k_dv_mdl_nonpaged_map, Mdl, caller);
    return nullptr;
  }
  if ((Mdl->MdlFlags & MDL_PAGES_LOCKED) == 0) {
    mdl_violation(k_dv_mdl_unlocked_map, Mdl, caller);
    return nullptr;
  }
  if (AccessMode == KernelMode && (Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA)) {
    mdl_violation(k_dv_mdl_mapped_twice, Mdl, caller);
    return nullptr;
  }
  // User-mode mappings are always no-execute; kernel ones only on request.
  if (AccessMode == KernelMode && (Priority & MdlMappingNoExecute) == 0 &&
      code_integrity_checks()) {
    bugcheck(k_driver_verifier_violation, k_dv_executable_mdl_mapping,
             reinterpret_cast<ULONG_PTR>(caller), Priority, 0, caller);
    return nullptr;
  }
  int prot = PROT_READ;
  if ((Priority & MdlMappingNoWrite) == 0) prot |= PROT_WRITE;
  if (AccessMode == KernelMode && (Priority & MdlMappingNoExecute) == 0) prot |= PROT_EXEC;
  std::size_t bytes = 0;
  void *view = map_view(Mdl, prot, &bytes);
  PVOID va = view != nullptr ? static_cast<char *>(view) + Mdl->ByteOffset : mdl_address(Mdl);
  remember(va, MdlView{Mdl, view, bytes});
  if (AccessMode == KernelMode) {
    Mdl->MappedSystemVa = va;
    Mdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
  }
  return va;
}

VOID NTAPI MmUnmapLockedPages(PVOID BaseAddress, PMDL Mdl) {
  MdlView v{};
  if (!forget(BaseAddress, Mdl, &v)) {  // never mapped, or unmapped already
    bugcheck(k_driver_verifier_violation, k_dv_bad_free_address,
             reinterpret_cast<ULONG_PTR>(BaseAddress), 0, 0, NXPOOL_CALLER);
    return;
  }
  if (v.first_page != nullptr) munmap(v.first_page, v.bytes);
  if ((Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) && Mdl->MappedSystemVa == BaseAddress) {
    Mdl->MdlFlags &= static_cast<CSHORT>(~MDL_MAPPED_TO_SYSTEM_VA);
  }
}

int nxpool_set_mdl_views(int on) { return arena_set_shared(on != 0) ? 1 : 0; }

}  // extern "C"
