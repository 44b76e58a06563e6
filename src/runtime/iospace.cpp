// Layer 5: I/O-space mappings and physically contiguous memory
// (nxpool/memory.h; spec section 5: the calls that take a PAGE_* protection,
// and the always-executable ones that C30029 bans).
//
// Every view is a mapping of the simulated physical memory (physmem.h) with
// the protection the call asked for, so PAGE_READONLY really is read-only and
// only PAGE_EXECUTE* (or an always-executable call) gives executable pages.
// A registry keyed by the view's first page remembers what each view is, so
// that an unmap or free of anything else is caught before munmap could tear
// a hole into unrelated memory.
//
// With the code-integrity verifier on, a request for executable memory is
// bug check 0xC4/0x2001 with the protection asked for (or implied), and the
// call returns NULL if a handler lets it continue.
//
// Tested by tests/runtime/iospace_test.cpp.
#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>

#include "arena.h"
#include "fork_gate.h"
#include "pool_api.h"
#include "physmem.h"
#include "platform.h"
#include "report.h"
#include "verifier.h"

namespace nxpool::rt {
namespace {

enum class ViewKind : std::uint8_t { IoSpace, Contiguous };

struct View {
  std::size_t mapped;      // bytes of the mapping, page-rounded
  std::uint64_t pa;        // physical address of its first page
  std::size_t asked;       // bytes the caller asked for (I/O space: checked at unmap)
  std::size_t offset;      // the caller's address minus the view's first page
  ViewKind kind;
};

struct Registry {
  std::mutex lock;
  std::map<std::uintptr_t, View> views;  // first page -> view
};

Registry &registry() {
  static auto *r = new Registry;  // never destroyed: unmaps may run at exit
  return *r;
}

constexpr ULONG k_cache_bits = PAGE_NOCACHE | PAGE_WRITECOMBINE;

// PAGE_* (without cache bits) -> PROT_*; -1 when not one of the five
// protections the Mm calls accept.
int prot_of(ULONG protect) {
  switch (protect & ~k_cache_bits) {
    case PAGE_READONLY: return PROT_READ;
    case PAGE_READWRITE: return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE: return PROT_EXEC;
    case PAGE_EXECUTE_READ: return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE: return PROT_READ | PROT_WRITE | PROT_EXEC;
    default: return -1;
  }
}

bool valid_cache_bits(ULONG protect) { return (protect & k_cache_bits) != k_cache_bits; }

// Read as the integer it is: a value outside the enumeration must not be
// loaded as the enum type.
int cache_type_value(const MEMORY_CACHING_TYPE &type) {
  static_assert(sizeof(MEMORY_CACHING_TYPE) == sizeof(int));
  int v;
  std::memcpy(&v, &type, sizeof v);
  return v;
}

bool valid_cache_type(const MEMORY_CACHING_TYPE &type) {
  const int t = cache_type_value(type);
  return t >= static_cast<int>(MmNonCached) && t < static_cast<int>(MmMaximumCacheType);
}

// The protection an always-executable call amounts to, for the 0x2001 report.
ULONG implied_protection(const MEMORY_CACHING_TYPE &type) {
  switch (cache_type_value(type)) {
    case MmNonCached: return PAGE_EXECUTE_READWRITE | PAGE_NOCACHE;
    case MmWriteCombined: return PAGE_EXECUTE_READWRITE | PAGE_WRITECOMBINE;
    default: return PAGE_EXECUTE_READWRITE;
  }
}

// True when the request may go on; false after a 0xC4/0x2001 a handler returned from.
bool executable_allowed(ULONG protect, const void *caller) {
  if ((prot_of(protect) & PROT_EXEC) == 0 || !code_integrity_checks()) return true;
  bugcheck(k_driver_verifier_violation, k_dv_executable_protection,
           reinterpret_cast<ULONG_PTR>(caller), protect, 0, caller);
  return false;
}

void remember(void *first_page, const View &v) {
  ForkGuard gate;
  Registry &r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  r.views[reinterpret_cast<std::uintptr_t>(first_page)] = v;
}

// Removes and returns the view starting at `first_page` if it is of `kind`
// and `accept` agrees; false otherwise (with the view's size in *found_size,
// 0 when there is none).
template <class Accept>
bool forget(std::uintptr_t first_page, ViewKind kind, Accept accept, View *out,
            std::size_t *found_size) {
  ForkGuard gate;
  Registry &r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  auto it = r.views.find(first_page);
  *found_size = 0;
  if (it == r.views.end() || it->second.kind != kind) return false;
  *found_size = it->second.asked;
  if (!accept(it->second)) return false;
  *out = it->second;
  r.views.erase(it);
  return true;
}

void *map_io(LONGLONG pa, SIZE_T bytes, ULONG protect, const void *caller) {
  if (bytes == 0 || pa < 0 || prot_of(protect) < 0 || !valid_cache_bits(protect)) return nullptr;
  if (!executable_allowed(protect, caller)) return nullptr;
  const auto start = static_cast<std::uint64_t>(pa);
  const std::uint64_t first = start & ~std::uint64_t{k_page_size - 1};
  const std::size_t offset = static_cast<std::size_t>(start - first);
  if (bytes > k_phys_limit) return nullptr;
  const std::size_t mapped = (offset + bytes + k_page_size - 1) & ~(k_page_size - 1);
  void *view = phys_map(first, mapped, prot_of(protect));
  if (view == nullptr) return nullptr;
  remember(view, View{mapped, first, bytes, offset, ViewKind::IoSpace});
  return static_cast<char *>(view) + offset;
}

// The limits are unsigned, as physical addresses are: drivers commonly pass
// -1 (MAXULONG64) as "no upper limit".
void *contiguous(SIZE_T bytes, PHYSICAL_ADDRESS lowest, PHYSICAL_ADDRESS highest,
                 PHYSICAL_ADDRESS boundary, ULONG protect, const void *caller) {
  const auto low = static_cast<std::uint64_t>(lowest.QuadPart);
  const auto high = static_cast<std::uint64_t>(highest.QuadPart);
  if (bytes == 0 || bytes > k_phys_limit || high < low) return nullptr;
  if (!executable_allowed(protect, caller)) return nullptr;
  const std::size_t mapped = (bytes + k_page_size - 1) & ~(k_page_size - 1);
  std::uint64_t pa = 0;
  if (!phys_take(low, high, static_cast<std::uint64_t>(boundary.QuadPart), mapped, &pa)) {
    return nullptr;
  }
  void *view = phys_map(pa, mapped, prot_of(protect));
  if (view == nullptr) {
    phys_give_back(pa, mapped);
    return nullptr;
  }
  remember(view, View{mapped, pa, bytes, 0, ViewKind::Contiguous});
  return view;
}

void free_contiguous(PVOID base, const void *caller) {
  View v{};
  std::size_t found = 0;
  if (!forget(reinterpret_cast<std::uintptr_t>(base), ViewKind::Contiguous,
              [](const View &) { return true; }, &v, &found)) {
    bugcheck(k_driver_verifier_violation, k_dv_bad_free_address,
             reinterpret_cast<ULONG_PTR>(base), 0, 0, caller);
    return;
  }
  phys_unmap(base, v.mapped);
  phys_give_back(v.pa, v.mapped);
}

}  // namespace
bool iospace_physical(const void *p, std::uint64_t *pa) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  ForkGuard gate;
  Registry &r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  auto it = r.views.upper_bound(address);
  if (it == r.views.begin()) return false;
  --it;
  if (address - it->first >= it->second.mapped) return false;
  *pa = it->second.pa + (address - it->first);
  return true;
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

#define NXPOOL_CALLER __builtin_return_address(0)

extern "C" {

PVOID NTAPI MmMapIoSpace(PHYSICAL_ADDRESS pa, SIZE_T bytes, MEMORY_CACHING_TYPE type) {
  if (!valid_cache_type(type)) return nullptr;
  return map_io(pa.QuadPart, bytes, implied_protection(type), NXPOOL_CALLER);
}

PVOID NTAPI MmMapIoSpaceEx(PHYSICAL_ADDRESS pa, SIZE_T bytes, ULONG protect) {
  return map_io(pa.QuadPart, bytes, protect, NXPOOL_CALLER);
}

VOID NTAPI MmUnmapIoSpace(PVOID base, SIZE_T bytes) {
  const auto address = reinterpret_cast<std::uintptr_t>(base);
  const std::uintptr_t first = address & ~std::uintptr_t{k_page_size - 1};
  View v{};
  std::size_t found = 0;
  auto same = [&](const View &w) { return w.offset == address - first && w.asked == bytes; };
  if (!forget(first, ViewKind::IoSpace, same, &v, &found)) {
    bugcheck(k_driver_verifier_violation, k_dv_bad_free_address, address, bytes, found,
             NXPOOL_CALLER);
    return;
  }
  phys_unmap(reinterpret_cast<void *>(first), v.mapped);
}

PVOID NTAPI MmAllocateContiguousMemory(SIZE_T bytes, PHYSICAL_ADDRESS highest) {
  PHYSICAL_ADDRESS zero;
  zero.QuadPart = 0;
  return contiguous(bytes, zero, highest, zero, PAGE_EXECUTE_READWRITE, NXPOOL_CALLER);
}

PVOID NTAPI MmAllocateContiguousMemorySpecifyCache(SIZE_T bytes, PHYSICAL_ADDRESS lowest,
                                                   PHYSICAL_ADDRESS highest,
                                                   PHYSICAL_ADDRESS boundary,
                                                   MEMORY_CACHING_TYPE type) {
  if (!valid_cache_type(type)) return nullptr;
  return contiguous(bytes, lowest, highest, boundary,
                    implied_protection(type), NXPOOL_CALLER);
}

PVOID NTAPI MmAllocateContiguousMemorySpecifyCacheNode(SIZE_T bytes, PHYSICAL_ADDRESS lowest,
                                                       PHYSICAL_ADDRESS highest,
                                                       PHYSICAL_ADDRESS boundary,
                                                       MEMORY_CACHING_TYPE type,
                                                       NODE_REQUIREMENT node) {
  (void)node;  // one simulated node
  if (!valid_cache_type(type)) return nullptr;
  return contiguous(bytes, lowest, highest, boundary,
                    implied_protection(type), NXPOOL_CALLER);
}

PVOID NTAPI MmAllocateContiguousNodeMemory(SIZE_T bytes, PHYSICAL_ADDRESS lowest,
                                           PHYSICAL_ADDRESS highest, PHYSICAL_ADDRESS boundary,
                                           ULONG protect, NODE_REQUIREMENT node) {
  (void)node;  // one simulated node
  const ULONG access = protect & ~k_cache_bits;
  if ((access != PAGE_READWRITE && access != PAGE_EXECUTE_READWRITE) ||
      !valid_cache_bits(protect)) {
    return nullptr;
  }
  return contiguous(bytes, lowest, highest, boundary, protect,
                    NXPOOL_CALLER);
}

VOID NTAPI MmFreeContiguousMemory(PVOID base) { free_contiguous(base, NXPOOL_CALLER); }

VOID NTAPI MmFreeContiguousMemorySpecifyCache(PVOID base, SIZE_T bytes, MEMORY_CACHING_TYPE type) {
  (void)bytes;
  (void)type;
  free_contiguous(base, NXPOOL_CALLER);
}

PHYSICAL_ADDRESS NTAPI MmGetPhysicalAddress(PVOID base) {
  PHYSICAL_ADDRESS result;
  std::uint64_t pa = 0;
  if (!iospace_physical(base, &pa) && !arena_physical(base, &pa)) pa = 0;
  result.QuadPart = static_cast<LONGLONG>(pa);
  return result;
}

}  // extern "C"
