// Instructions per alloc+free pair, counted rather than timed: the machine
// the benchmarks run on has no hardware counters for `perf stat`, so
// bench/run-instructions.sh runs this under callgrind, collecting only
// inside measured(), and divides by the number of pairs.
//
//   pair_instructions nxpool|mimalloc|glibc lifo64|batch PAIRS
//
// lifo64 allocates and frees one 64-byte block PAIRS times; batch allocates
// 1000 blocks of 16..256 bytes and frees them shuffled, PAIRS / 1000 times.
// nxpool runs as in pool_bench.cpp: ExAllocatePoolWithTag/ExFreePoolWithTag
// on NonPagedPoolNx with a tag (statistics always on). glibc's malloc is
// looked up in libc.so.6, as pool_bench.cpp explains.
#include <dlfcn.h>
#include <mimalloc.h>
#include <nxpool/wdm.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

constexpr ULONG k_tag = 0x736E4950;  // "PIns"

void *(*g_alloc)(size_t);
void (*g_free)(void *);

void *nx_alloc(size_t n) { return ExAllocatePoolWithTag(NonPagedPoolNx, n, k_tag); }
void nx_free(void *p) { ExFreePoolWithTag(p, k_tag); }

}  // namespace

// The only code callgrind counts (--toggle-collect=measured).
extern "C" [[gnu::noinline]] void measured(bool lifo, long pairs, const std::vector<size_t> &sizes,
                                           const std::vector<int> &order,
                                           std::vector<char *> &blocks) {
  if (lifo) {
    for (long i = 0; i < pairs; ++i) {
      auto *p = static_cast<char *>(g_alloc(64));
      p[0] = 1;
      asm volatile("" : : "r"(p) : "memory");
      g_free(p);
    }
    return;
  }
  for (long round = 0; round < pairs / 1000; ++round) {
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      blocks[i] = static_cast<char *>(g_alloc(sizes[i]));
      blocks[i][0] = 1;
    }
    asm volatile("" : : "r"(blocks.data()) : "memory");
    for (int i : order) g_free(blocks[i]);
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s nxpool|mimalloc|glibc lifo64|batch PAIRS\n", argv[0]);
    return 2;
  }
  if (std::strcmp(argv[1], "nxpool") == 0) {
    g_alloc = nx_alloc;
    g_free = nx_free;
  } else if (std::strcmp(argv[1], "mimalloc") == 0) {
    g_alloc = mi_malloc;
    g_free = mi_free;
  } else {
    void *libc = dlopen("libc.so.6", RTLD_NOLOAD | RTLD_LAZY);
    g_alloc = reinterpret_cast<void *(*)(size_t)>(dlsym(libc, "malloc"));
    g_free = reinterpret_cast<void (*)(void *)>(dlsym(libc, "free"));
  }
  std::mt19937 rng(42);
  std::vector<size_t> sizes(1000);
  for (auto &s : sizes) s = 16 + rng() % 241;
  std::vector<int> order(1000);
  for (int i = 0; i < 1000; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<char *> blocks(1000);
  const bool lifo = std::strcmp(argv[2], "lifo64") == 0;
  measured(lifo, 2000, sizes, order, blocks);  // warm-up: caches and spans exist
  measured(lifo, std::atol(argv[3]), sizes, order, blocks);
  return 0;
}
