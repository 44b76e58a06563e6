// nxpool vs glibc malloc vs mimalloc, one binary, one run (issue 3 item 5).
//
// nxpool runs with statistics on (they always are): ExAllocatePoolWithTag /
// ExFreePoolWithTag on NonPagedPoolNx, so each pair also pays the tag check
// and the per-tag counters. Patterns:
//   Lifo/<bytes>     allocate and immediately free one block, 16 B .. 64 KiB
//   Batch1000        1000 blocks of 16..256 B (uniform), then freed in a
//                    shuffled order; 1 and 2 threads, distinct tags per
//                    thread; time is wall clock, so items/s at 2 threads is
//                    total throughput
//   Memory           a mixed live set (log-uniform 16 B .. 64 KiB, 20000
//                    blocks), measured in a forked child: resident bytes per
//                    live byte with every block live ("fresh": size-class
//                    rounding plus bookkeeping), and again after freeing half
//                    and reallocating a quarter ("churned": what freed memory
//                    the allocator keeps); for nxpool also the data address
//                    space it reserved per live byte
//
// Debian's libmimalloc.so is built to override: linking it (as asked: no
// preload, no override header) makes malloc, free and even __libc_malloc
// resolve to mimalloc for the whole process. The glibc rows therefore look
// malloc/free up inside libc.so.6 itself (dlsym on libc's handle searches
// libc first), and the start-up check below refuses to run if that still
// lands in mimalloc.
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <mimalloc.h>
#include <nxpool/wdm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "heap.h"

namespace {

struct GlibcEntryPoints {
  void *(*malloc)(size_t);
  void (*free)(void *);
};

GlibcEntryPoints resolve_glibc() {
  void *libc = dlopen("libc.so.6", RTLD_NOLOAD | RTLD_LAZY);
  GlibcEntryPoints g{};
  if (libc != nullptr) {
    g.malloc = reinterpret_cast<void *(*)(size_t)>(dlsym(libc, "malloc"));
    g.free = reinterpret_cast<void (*)(void *)>(dlsym(libc, "free"));
  }
  void *probe = g.malloc != nullptr ? g.malloc(64) : nullptr;
  if (probe == nullptr || mi_is_in_heap_region(probe)) {
    std::fprintf(stderr, "cannot reach glibc's malloc separately from mimalloc\n");
    std::exit(2);
  }
  g.free(probe);
  return g;
}

const GlibcEntryPoints g_glibc = resolve_glibc();

constexpr ULONG k_tag_base = 0x30686E42;  // "Bnh0", "Bnh1", ...

struct Nxpool {
  static void *alloc(size_t n, ULONG tag) { return ExAllocatePoolWithTag(NonPagedPoolNx, n, tag); }
  static void release(void *p, ULONG tag) { ExFreePoolWithTag(p, tag); }
};
struct Glibc {
  static void *alloc(size_t n, ULONG) { return g_glibc.malloc(n); }
  static void release(void *p, ULONG) { g_glibc.free(p); }
};
struct Mimalloc {
  static void *alloc(size_t n, ULONG) { return mi_malloc(n); }
  static void release(void *p, ULONG) { mi_free(p); }
};

ULONG thread_tag(const benchmark::State &state) {
  return k_tag_base + (static_cast<ULONG>(state.thread_index()) << 24);
}

template <class A>
void Lifo(benchmark::State &state) {
  const auto bytes = static_cast<size_t>(state.range(0));
  const ULONG tag = thread_tag(state);
  for (auto _ : state) {
    auto *p = static_cast<char *>(A::alloc(bytes, tag));
    p[0] = 1;
    benchmark::DoNotOptimize(p);
    A::release(p, tag);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class A>
void Batch1000(benchmark::State &state) {
  constexpr int n = 1000;
  const ULONG tag = thread_tag(state);
  std::mt19937 rng(42 + state.thread_index());
  std::vector<size_t> sizes(n);
  for (auto &s : sizes) s = 16 + rng() % 241;
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<char *> blocks(n);
  for (auto _ : state) {
    for (int i = 0; i < n; ++i) {
      blocks[i] = static_cast<char *>(A::alloc(sizes[i], tag));
      blocks[i][0] = 1;
    }
    benchmark::DoNotOptimize(blocks.data());
    for (int i : order) A::release(blocks[i], tag);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// ---- the cost of each verifier option (issue 13) -------------------------------
// The same two patterns on nxpool with verifier flags set for the run:
// 0 (off), 0x1 special pool (a page, two page-protection changes and a
// fill check per pair), 0x4 low resources (rate 0: the decision without
// failures), 0x8 pool tracking, 0x02000000 code integrity, and all three.
struct VerifierScope {
  explicit VerifierScope(const benchmark::State &state) {
    if (state.thread_index() != 0) return;
    nxpool_set_low_resources(0, 0, 1, 0);
    previous = nxpool_set_verifier_flags(static_cast<ULONG>(state.range(0)));
  }
  ~VerifierScope() { nxpool_set_verifier_flags(previous); }
  ULONG previous = 0;
};

void LifoVerifier(benchmark::State &state) {
  VerifierScope scope(state);
  const ULONG tag = thread_tag(state);
  for (auto _ : state) {
    auto *p = static_cast<char *>(Nxpool::alloc(64, tag));
    p[0] = 1;
    benchmark::DoNotOptimize(p);
    Nxpool::release(p, tag);
  }
  state.SetItemsProcessed(state.iterations());
}

void Batch1000Verifier(benchmark::State &state) {
  VerifierScope scope(state);
  Batch1000<Nxpool>(state);  // one thread: the same seed and sizes as Batch1000<Nxpool>
}

// ---- memory overhead ----------------------------------------------------------

long resident_bytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

struct MemoryResult {
  double fresh_resident_per_live;
  double churned_resident_per_live;
  double reserved_per_live;
};

// 20000 blocks, log-uniform 16 B .. 64 KiB, then every other one freed and a
// quarter reallocated: a live set with holes, as a long-running driver has.
template <class A>
MemoryResult memory_workload() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> exponent(4.0, 16.0);
  constexpr int n = 20000;
  std::vector<char *> blocks(n);
  std::vector<size_t> sizes(n);
  const long before = resident_bytes();
  const size_t reserved_before = nxpool::rt::heap_reserved_bytes();
  double live = 0;
  for (int i = 0; i < n; ++i) {
    sizes[i] = static_cast<size_t>(std::pow(2.0, exponent(rng)));
    blocks[i] = static_cast<char *>(A::alloc(sizes[i], k_tag_base));
    std::memset(blocks[i], 1, sizes[i]);  // resident, as used memory is
    live += static_cast<double>(sizes[i]);
  }
  MemoryResult r{};
  r.fresh_resident_per_live = static_cast<double>(resident_bytes() - before) / live;
  for (int i = 0; i < n; i += 2) {
    A::release(blocks[i], k_tag_base);
    blocks[i] = nullptr;
  }
  for (int i = 0; i < n; i += 4) {
    sizes[i] = static_cast<size_t>(std::pow(2.0, exponent(rng)));
    blocks[i] = static_cast<char *>(A::alloc(sizes[i], k_tag_base));
    std::memset(blocks[i], 1, sizes[i]);
  }
  live = 0;
  for (int i = 0; i < n; ++i) {
    if (blocks[i] != nullptr) live += static_cast<double>(sizes[i]);
  }
  r.churned_resident_per_live = static_cast<double>(resident_bytes() - before) / live;
  r.reserved_per_live =
      static_cast<double>(nxpool::rt::heap_reserved_bytes() - reserved_before) / live;
  return r;
}

// Runs the workload in a child so each allocator starts from a fresh process.
template <class A>
void Memory(benchmark::State &state) {
  MemoryResult r{};
  for (auto _ : state) {
    int fds[2];
    if (pipe(fds) != 0) {
      state.SkipWithError("pipe failed");
      return;
    }
    pid_t pid = fork();
    if (pid == 0) {
      MemoryResult child = memory_workload<A>();
      ssize_t w = write(fds[1], &child, sizeof child);
      _exit(w == sizeof child ? 0 : 1);
    }
    ssize_t got = read(fds[0], &r, sizeof r);
    close(fds[0]);
    close(fds[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != sizeof r) {
      state.SkipWithError("child failed");
      return;
    }
  }
  state.counters["fresh_resident_per_live_byte"] = r.fresh_resident_per_live;
  state.counters["churned_resident_per_live_byte"] = r.churned_resident_per_live;
  if (r.reserved_per_live > 0) state.counters["reserved_per_live_byte"] = r.reserved_per_live;
}

void lifo_sizes(benchmark::internal::Benchmark *b) {
  for (long s : {16, 32, 64, 128, 256, 1024, 4096, 16384, 65536}) b->Arg(s);
}

}  // namespace

BENCHMARK(Lifo<Nxpool>)->Apply(lifo_sizes);
BENCHMARK(Lifo<Glibc>)->Apply(lifo_sizes);
BENCHMARK(Lifo<Mimalloc>)->Apply(lifo_sizes);
BENCHMARK(Lifo<Nxpool>)->Arg(64)->Threads(2)->UseRealTime();
BENCHMARK(Lifo<Glibc>)->Arg(64)->Threads(2)->UseRealTime();
BENCHMARK(Lifo<Mimalloc>)->Arg(64)->Threads(2)->UseRealTime();
BENCHMARK(Batch1000<Nxpool>)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(Batch1000<Glibc>)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(Batch1000<Mimalloc>)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(LifoVerifier)->Arg(0)->Arg(0x1)->Arg(0x4)->Arg(0x8)->Arg(0x02000000)->Arg(0x0200000C);
BENCHMARK(Batch1000Verifier)->Arg(0)->Arg(0x1)->Arg(0x4)->Arg(0x8)->Arg(0x02000000)->Arg(0x0200000C);
BENCHMARK(Memory<Nxpool>)->Iterations(1);
BENCHMARK(Memory<Glibc>)->Iterations(1);
BENCHMARK(Memory<Mimalloc>)->Iterations(1);

BENCHMARK_MAIN();
