// Layer 1: mmap/munmap wrappers. See platform.h for the contract.
#include "platform.h"

#include <sys/mman.h>

namespace nxpool::rt {
namespace {

int prot_bits(Protection prot) {
  return prot == Protection::ReadWriteExec ? (PROT_READ | PROT_WRITE | PROT_EXEC)
                                           : (PROT_READ | PROT_WRITE);
}

void *map_raw(std::size_t bytes, int prot, int extra_flags) {
  void *p = mmap(nullptr, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

}  // namespace

void *os_map(std::size_t bytes, std::size_t alignment, Protection prot) {
  if (bytes == 0 || bytes % k_page_size != 0) return nullptr;
  if (alignment <= k_page_size) return map_raw(bytes, prot_bits(prot), 0);
  // Over-map by the alignment and trim both ends, so the kernel hands back a
  // naturally aligned range without a retry loop.
  if (bytes > SIZE_MAX - alignment) return nullptr;
  std::size_t span = bytes + alignment;
  auto *raw = static_cast<char *>(map_raw(span, prot_bits(prot), 0));
  if (raw == nullptr) return nullptr;
  auto base = reinterpret_cast<std::uintptr_t>(raw);
  std::uintptr_t aligned = (base + alignment - 1) & ~(std::uintptr_t{alignment} - 1);
  std::size_t head = aligned - base;
  std::size_t tail = span - head - bytes;
  if (head != 0) munmap(raw, head);
  if (tail != 0) munmap(reinterpret_cast<char *>(aligned) + bytes, tail);
  return reinterpret_cast<void *>(aligned);
}

void *os_map_metadata(std::size_t bytes) {
  return map_raw(bytes, PROT_READ | PROT_WRITE, MAP_NORESERVE);
}

bool os_protect_exec(void *p, std::size_t bytes) {
  return mprotect(p, bytes, prot_bits(Protection::ReadWriteExec)) == 0;
}

void *os_reserve_noaccess(std::size_t bytes) {
  return map_raw(bytes, PROT_NONE, MAP_NORESERVE);
}

bool os_page_access(void *p, std::size_t bytes, bool accessible, Protection prot) {
  return mprotect(p, bytes, accessible ? prot_bits(prot) : PROT_NONE) == 0;
}

void os_discard(void *p, std::size_t bytes) { madvise(p, bytes, MADV_DONTNEED); }

void os_unmap(void *p, std::size_t bytes) {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace nxpool::rt
