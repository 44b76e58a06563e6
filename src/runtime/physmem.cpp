// Layer 1b: the simulated physical address space. See physmem.h.
#include "physmem.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <map>
#include <mutex>

#include "fork_gate.h"
#include "platform.h"

namespace nxpool::rt {
namespace {

int physical_file() {
  // Created on first use and kept for the life of the process. Forked
  // children inherit it and share physical memory with their parent.
  static const int fd = [] {
    int f = memfd_create("nxpool-physical", MFD_CLOEXEC);
    if (f >= 0 && ftruncate(f, static_cast<off_t>(k_phys_limit)) != 0) {
      close(f);
      f = -1;
    }
    return f;
  }();
  return fd;
}

struct Allocator {
  std::mutex lock;
  std::map<std::uint64_t, std::uint64_t> used;  // start -> end (exclusive)
};

Allocator &allocator() {
  static auto *a = new Allocator;  // never destroyed: frees may run at exit
  return *a;
}

std::uint64_t align_up(std::uint64_t v, std::uint64_t a) { return (v + a - 1) & ~(a - 1); }

}  // namespace

void *phys_map(std::uint64_t pa, std::size_t bytes, int prot) {
  if (bytes == 0 || pa % k_page_size != 0 || bytes % k_page_size != 0) return nullptr;
  if (pa >= k_phys_limit || bytes > k_phys_limit - pa) return nullptr;
  int fd = physical_file();
  if (fd < 0) return nullptr;
  void *p = mmap(nullptr, bytes, prot, MAP_SHARED, fd, static_cast<off_t>(pa));
  return p == MAP_FAILED ? nullptr : p;
}

bool phys_map_at(void *at, std::uint64_t pa, std::size_t bytes, int prot) {
  if (bytes == 0 || pa % k_page_size != 0 || bytes % k_page_size != 0) return false;
  if (pa >= k_phys_limit || bytes > k_phys_limit - pa) return false;
  int fd = physical_file();
  if (fd < 0) return false;
  return mmap(at, bytes, prot, MAP_SHARED | MAP_FIXED, fd, static_cast<off_t>(pa)) == at;
}

void phys_unmap(void *view, std::size_t bytes) {
  if (view != nullptr) munmap(view, bytes);
}

bool phys_take(std::uint64_t lowest, std::uint64_t highest, std::uint64_t boundary,
               std::size_t bytes, std::uint64_t *pa) {
  if (bytes == 0 || bytes % k_page_size != 0) return false;
  if (boundary != 0 && ((boundary & (boundary - 1)) != 0 || bytes > boundary)) return false;
  if (highest >= k_phys_limit) highest = k_phys_limit - 1;
  std::uint64_t at = align_up(lowest < k_phys_first ? k_phys_first : lowest, k_page_size);
  ForkGuard gate;
  Allocator &a = allocator();
  std::lock_guard<std::mutex> hold(a.lock);
  auto next = a.used.upper_bound(at);
  if (next != a.used.begin()) {
    auto prev = std::prev(next);
    if (prev->second > at) at = prev->second;
  }
  for (;;) {
    if (boundary != 0 && at / boundary != (at + bytes - 1) / boundary) {
      at = align_up(at + 1, boundary);
    }
    if (at > highest || bytes - 1 > highest - at) return false;
    while (next != a.used.end() && next->second <= at) ++next;
    if (next == a.used.end() || at + bytes <= next->first) break;
    at = next->second;
    ++next;
  }
  a.used.emplace(at, at + bytes);
  *pa = at;
  return true;
}

void phys_give_back(std::uint64_t pa, std::size_t bytes) {
  {
    ForkGuard gate;
    Allocator &a = allocator();
    std::lock_guard<std::mutex> hold(a.lock);
    a.used.erase(pa);
  }
  fallocate(physical_file(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(pa),
            static_cast<off_t>(bytes));
}

}  // namespace nxpool::rt
