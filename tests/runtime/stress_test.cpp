// Randomized multi-threaded stress test against a simple reference model
// (issue 3, "Done when"). Built and run under ASan+UBSan and TSan as well.
//
// Each thread allocates through a random API (legacy, Pool2, Zero wrapper,
// cache aligned, large), fills the block with a pattern derived from the
// block's id, and keeps a model entry: address, size, tag, kind, pattern.
// It frees random blocks itself, and hands others to a shared queue from
// which any thread frees them (cross-thread frees drive the central lists).
// Before every free the block is checked against its model entry:
//   contents - the whole pattern is intact, so no other block overlapped it;
//   executability - nxpool_is_executable agrees with the kind;
//   tag - now and then the test first frees with a wrong tag and expects
//         exactly one BAD_POOL_CALLER 0x0A naming the block and both tags,
//         after which the block must still be live.
// Any other bug check fails the test. At the end every stress tag's
// statistics must balance: allocs == frees == the model's count, bytes 0.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace {

constexpr int k_threads = 4;
constexpr ULONG k_tags[] = {0x30727453, 0x31727453, 0x32727453, 0x33727453};  // "Str0".."Str3"

int operations_per_thread() {
  const char *env = std::getenv("NXPOOL_STRESS_OPS");
  return env != nullptr ? std::atoi(env) : 30000;
}

struct Block {
  unsigned char *p;
  std::size_t size;
  ULONG tag;
  int kind;
  std::uint32_t id;
};

unsigned char pattern(std::uint32_t id, std::size_t i) {
  return static_cast<unsigned char>((id * 131u) ^ (i * 7u) ^ (i >> 8));
}

struct Expected {
  bool armed = false;
  Block block{};
  ULONG wrong_tag = 0;
  int hits = 0;
};
thread_local Expected t_expected;
std::atomic<int> g_unexpected_bugchecks{0};

void handler(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  Expected &e = t_expected;
  if (e.armed && code == 0xC2 && p1 == 0x0A && p2 == reinterpret_cast<ULONG_PTR>(e.block.p) &&
      p3 == e.block.tag && p4 == e.wrong_tag) {
    ++e.hits;
  } else {
    ++g_unexpected_bugchecks;
  }
}

struct Shared {
  std::mutex mutex;
  std::deque<Block> handoff;
  std::atomic<std::uint64_t> allocs[4]{};
  std::atomic<std::uint64_t> frees[4]{};
  std::atomic<int> failures{0};
};

void fail(Shared &s, const char *what, const Block &b) {
  if (s.failures.fetch_add(1) < 10) {
    ADD_FAILURE() << what << " block " << static_cast<void *>(b.p) << " size " << b.size << " tag "
                  << std::hex << b.tag << " kind " << b.kind;
  }
}

int expected_executable(int kind) { return kind == NXPOOL_KIND_EXEC ? 1 : 0; }

void check_and_free(Shared &s, const Block &b, std::mt19937 &rng) {
  for (std::size_t i = 0; i < b.size; ++i) {
    if (b.p[i] != pattern(b.id, i)) {
      fail(s, "contents changed", b);
      break;
    }
  }
  if (nxpool_is_executable(b.p) != expected_executable(b.kind)) fail(s, "executability", b);
  if (rng() % 16 == 0) {
    Expected &e = t_expected;
    e = Expected{true, b, b.tag ^ 0x01000000u, 0};
    ExFreePoolWithTag(b.p, e.wrong_tag);
    if (e.hits != 1) fail(s, "wrong-tag free not reported", b);
    e.armed = false;
    if (nxpool_is_executable(b.p) != expected_executable(b.kind)) fail(s, "freed by wrong tag", b);
  }
  if (rng() % 2 == 0) {
    ExFreePoolWithTag(b.p, b.tag);
  } else {
    ExFreePool(b.p);
  }
  s.frees[(b.tag - k_tags[0]) >> 24].fetch_add(1, std::memory_order_relaxed);
}

Block allocate(Shared &s, std::mt19937 &rng, std::uint32_t id) {
  std::size_t size;
  unsigned r = rng() % 100;
  if (r < 70) size = rng() % 257;             // 0..256: the hot range
  else if (r < 95) size = rng() % 8192;       // up to two pages
  else if (r < 99) size = rng() % 70000;      // medium, past a span
  else size = 65536 + rng() % 300000;         // large mappings
  int t = static_cast<int>(rng() % 4);
  ULONG tag = k_tags[t];
  int kind = static_cast<int>(rng() % 3);
  void *p = nullptr;
  bool zeroed = false;
  bool cache_aligned = false;
  switch (rng() % 4) {
    case 0: {
      static const POOL_TYPE types[] = {NonPagedPoolNx, NonPagedPoolExecute, PagedPool};
      p = ExAllocatePoolWithTag(types[kind], size, tag);
      break;
    }
    case 1: {
      static const POOL_FLAGS flags[] = {POOL_FLAG_NON_PAGED, POOL_FLAG_NON_PAGED_EXECUTE,
                                         POOL_FLAG_PAGED};
      p = ExAllocatePool2(flags[kind], size, tag);
      zeroed = true;
      break;
    }
    case 2: {
      static const POOL_TYPE types[] = {NonPagedPoolNx, NonPagedPoolExecute, PagedPool};
      p = ExAllocatePoolZero(types[kind], size, tag);
      zeroed = true;
      break;
    }
    default: {
      static const POOL_TYPE types[] = {NonPagedPoolNxCacheAligned, NonPagedPoolCacheAligned,
                                        PagedPoolCacheAligned};
      p = ExAllocatePoolWithTag(types[kind], size, tag);
      cache_aligned = true;
      break;
    }
  }
  Block b{static_cast<unsigned char *>(p), size, tag, kind, id};
  if (p == nullptr) {
    fail(s, "allocation failed", b);
    return b;
  }
  s.allocs[t].fetch_add(1, std::memory_order_relaxed);
  auto a = reinterpret_cast<std::uintptr_t>(p);
  if (a % 16 != 0) fail(s, "not 16-byte aligned", b);
  if (size >= 4096 && a % 4096 != 0) fail(s, "not page aligned", b);
  if (size <= 4096 && size > 0 && a / 4096 != (a + size - 1) / 4096) fail(s, "crosses a page", b);
  if (cache_aligned && a % 64 != 0) fail(s, "not cache aligned", b);
  if (zeroed) {
    for (std::size_t i = 0; i < size; ++i) {
      if (b.p[i] != 0) {
        fail(s, "not zeroed", b);
        break;
      }
    }
  }
  if (nxpool_is_executable(p) != expected_executable(kind)) fail(s, "executability at alloc", b);
  for (std::size_t i = 0; i < size; ++i) b.p[i] = pattern(id, i);
  return b;
}

void worker(Shared &s, unsigned seed, int ops) {
  std::mt19937 rng(seed);
  std::vector<Block> mine;
  std::uint32_t next_id = seed * 1000003u;
  for (int op = 0; op < ops && s.failures.load() == 0; ++op) {
    unsigned r = rng() % 100;
    if (r < 50 || mine.empty()) {
      Block b = allocate(s, rng, next_id++);
      if (b.p != nullptr) mine.push_back(b);
    } else if (r < 85) {
      std::size_t i = rng() % mine.size();
      Block b = mine[i];
      mine[i] = mine.back();
      mine.pop_back();
      check_and_free(s, b, rng);
    } else if (r < 95) {
      std::size_t i = rng() % mine.size();
      std::lock_guard lock(s.mutex);
      s.handoff.push_back(mine[i]);
      mine[i] = mine.back();
      mine.pop_back();
    } else {
      Block b{};
      {
        std::lock_guard lock(s.mutex);
        if (s.handoff.empty()) continue;
        b = s.handoff.front();
        s.handoff.pop_front();
      }
      check_and_free(s, b, rng);
    }
  }
  for (const Block &b : mine) check_and_free(s, b, rng);
}

std::uint64_t stat(ULONG tag, const char *what) {
  std::vector<nxpool_tag_stats> rows(nxpool_stats_snapshot(nullptr, 0) + 8);
  rows.resize(nxpool_stats_snapshot(rows.data(), rows.size()));
  std::uint64_t sum = 0;
  for (const auto &r : rows) {
    if (r.tag != tag) continue;
    sum += std::strcmp(what, "allocs") == 0 ? r.allocs
         : std::strcmp(what, "frees") == 0  ? r.frees
                                            : r.bytes;
  }
  return sum;
}

TEST(Stress, RandomMultiThreadedWorkloadMatchesTheModel) {
  nxpool_bugcheck_handler old = nxpool_set_bugcheck_handler(handler);
  Shared s;
  const int ops = operations_per_thread();
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) threads.emplace_back(worker, std::ref(s), 17u + t, ops);
  for (auto &t : threads) t.join();
  std::mt19937 rng(1);
  for (const Block &b : s.handoff) check_and_free(s, b, rng);
  nxpool_set_bugcheck_handler(old);

  EXPECT_EQ(s.failures.load(), 0);
  EXPECT_EQ(g_unexpected_bugchecks.load(), 0);
  for (int t = 0; t < 4; ++t) {
    EXPECT_GT(s.allocs[t].load(), 0u);
    EXPECT_EQ(stat(k_tags[t], "allocs"), s.allocs[t].load()) << t;
    EXPECT_EQ(stat(k_tags[t], "frees"), s.frees[t].load()) << t;
    EXPECT_EQ(s.allocs[t].load(), s.frees[t].load()) << t;
    EXPECT_EQ(stat(k_tags[t], "bytes"), 0u) << t;
  }
}

}  // namespace
