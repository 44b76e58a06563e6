// The set of live lookaside lists, for the misuse checks Driver Verifier
// makes (0xC4 with P1 0xCA, 0xCB, 0xCC):
//  * initialising a list that is live (re-initialisation without a delete
//    would drop its cached entries and, on Windows, corrupt the system-wide
//    list of lookaside lists);
//  * deleting a list that was never initialised (its lock word is garbage:
//    before this check, the delete spun on it forever);
//  * freeing a pool block that still holds a live list;
//  * freeing an entry to a list it did not come from (0xC4/0x16): with the
//    pool's own allocation behind the list, every entry is a live pool
//    block of exactly the list's tag and entry size, so anything else (a
//    plain pool block, an entry of a list with another tag or size, an
//    interior or foreign address) was freed to the wrong list. An entry of
//    another list with the same tag and size cannot be told apart.
// Init and delete are rare, so the first two checks are always on; the
// others cost a lookup per free and run only with a verifier option on.
//
// Tested by tests/runtime/hostile_test.cpp.
#include <mutex>
#include <set>

#include "fork_gate.h"
#include "heap.h"
#include "report.h"
#include "verifier.h"

namespace nxpool::rt {
namespace {

struct Registry {
  std::mutex lock;
  std::set<std::uintptr_t> live;  // list head addresses
};

Registry &registry() {
  static auto *r = new Registry;  // never destroyed: lists may be deleted at exit
  return *r;
}

}  // namespace

bool lookaside_register(const void *list, const void *caller) {
  bool fresh;
  {
    ForkGuard gate;
    Registry &r = registry();
    std::lock_guard<std::mutex> hold(r.lock);
    fresh = r.live.insert(reinterpret_cast<std::uintptr_t>(list)).second;
  }
  if (!fresh) {
    bugcheck(k_driver_verifier_violation, k_dv_lookaside_reinitialised,
             reinterpret_cast<ULONG_PTR>(list), 0, 0, caller);
  }
  return fresh;
}

bool lookaside_unregister(const void *list, const void *caller) {
  bool known;
  {
    ForkGuard gate;
    Registry &r = registry();
    std::lock_guard<std::mutex> hold(r.lock);
    known = r.live.erase(reinterpret_cast<std::uintptr_t>(list)) != 0;
  }
  if (!known) {
    bugcheck(k_driver_verifier_violation, k_dv_lookaside_not_initialised,
             reinterpret_cast<ULONG_PTR>(list), 0, 0, caller);
  }
  return known;
}

bool lookaside_entry_fits(const void *list, const void *entry, ULONG tag, std::size_t size,
                          const void *caller) {
  BlockInfo info{};
  if (heap_find(entry, &info) && info.start == entry && info.tag == tag && info.size == size) {
    return true;
  }
  bugcheck(k_driver_verifier_violation, k_dv_bad_memory_parameter,
           reinterpret_cast<ULONG_PTR>(list), reinterpret_cast<ULONG_PTR>(entry), 0, caller);
  return false;
}

const void *lookaside_within(const void *block, std::size_t bytes) {
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  ForkGuard gate;
  Registry &r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  auto it = r.live.lower_bound(start);
  if (it == r.live.end() || *it - start >= bytes) return nullptr;
  return reinterpret_cast<const void *>(*it);
}

}  // namespace nxpool::rt
