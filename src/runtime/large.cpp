// Layer 3b: large blocks as individual mappings. See large.h.
#include "large.h"

#include <map>
#include <mutex>

#include "fork_gate.h"
#include "platform.h"

namespace nxpool::rt {
namespace {

struct Entry {
  std::size_t size;
  std::size_t mapped;
  std::uint32_t tag;
  Kind kind;
};

// Function-local statics: large blocks may be freed from static destructors of
// other translation units, so the table must outlive them.
std::mutex &table_mutex() {
  static auto *m = new std::mutex;
  return *m;
}
std::map<std::uintptr_t, Entry> &table() {
  static auto *t = new std::map<std::uintptr_t, Entry>;
  return *t;
}
std::size_t g_mapped = 0;  // guarded by table_mutex()

std::size_t round_to_pages(std::size_t bytes) {
  return (bytes + k_page_size - 1) & ~(k_page_size - 1);
}

}  // namespace

void *large_alloc(Kind kind, std::size_t bytes, std::uint32_t tag) {
  std::size_t mapped = round_to_pages(bytes);
  if (mapped < bytes) return nullptr;  // overflow
  void *p = os_map(mapped, k_page_size,
                   kind_is_executable(kind) ? Protection::ReadWriteExec : Protection::ReadWrite);
  if (p == nullptr) return nullptr;
  try {
    ForkGuard gate;
    std::lock_guard lock(table_mutex());
    table().emplace(reinterpret_cast<std::uintptr_t>(p), Entry{bytes, mapped, tag, kind});
    g_mapped += mapped;
  } catch (...) {  // the map node could not be allocated
    os_unmap(p, mapped);
    return nullptr;
  }
  return p;
}

bool large_find(const void *p, bool exact, LargeInfo *info) {
  auto addr = reinterpret_cast<std::uintptr_t>(p);
  ForkGuard gate;
  std::lock_guard lock(table_mutex());
  auto &t = table();
  auto it = t.upper_bound(addr);
  if (it == t.begin()) return false;
  --it;
  const Entry &e = it->second;
  if (exact ? addr != it->first : addr - it->first >= e.size) return false;
  *info = LargeInfo{reinterpret_cast<void *>(it->first), e.size, e.tag, e.kind};
  return true;
}

LargeFree large_free(void *p, std::uint32_t expected_tag, LargeInfo *info) {
  std::size_t mapped;
  {
    ForkGuard gate;
    std::lock_guard lock(table_mutex());
    auto &t = table();
    auto it = t.find(reinterpret_cast<std::uintptr_t>(p));
    if (it == t.end()) return LargeFree::NotFound;
    const Entry &e = it->second;
    *info = LargeInfo{p, e.size, e.tag, e.kind};
    if (expected_tag != 0 && expected_tag != e.tag) return LargeFree::WrongTag;
    mapped = e.mapped;
    g_mapped -= mapped;
    t.erase(it);
  }
  os_unmap(p, mapped);
  return LargeFree::Freed;
}

std::size_t large_mapped_bytes() {
  ForkGuard gate;
  std::lock_guard lock(table_mutex());
  return g_mapped;
}

}  // namespace nxpool::rt
