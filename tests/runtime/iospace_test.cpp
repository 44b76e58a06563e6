// I/O-space mappings and contiguous memory (issue 13, "Executable page
// protections (0x2001)"; spec section 5: MmMapIoSpaceEx's protections,
// MmAllocateContiguousNodeMemory's PAGE_READWRITE / PAGE_EXECUTE_READWRITE,
// the always-executable MmMapIoSpace and MmAllocateContiguousMemory*;
// section 6: bug check 0xC4/0x2001 under code integrity).
//
// Faults are checked in child processes (death tests): the child's SIGSEGV
// handler prints where the fault was, then dies by the signal.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <nxpool/wdm.h>

#include "bugcheck_recorder.h"

namespace {

PHYSICAL_ADDRESS phys(LONGLONG v) {
  PHYSICAL_ADDRESS p;
  p.QuadPart = v;
  return p;
}

constexpr LONGLONG k_device = 0xFED00000;  // an address no allocation is near

using nxpool_test::g_seen;
using nxpool_test::record;

class Recording : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = {};
    previous_ = nxpool_set_bugcheck_handler(record);
  }
  void TearDown() override { nxpool_set_bugcheck_handler(previous_); }
  nxpool_bugcheck_handler previous_ = nullptr;
};

class CodeIntegrity : public Recording {
 protected:
  void SetUp() override {
    Recording::SetUp();
    flags_ = nxpool_set_verifier_flags(NXPOOL_VERIFIER_CODE_INTEGRITY);
  }
  void TearDown() override {
    nxpool_set_verifier_flags(flags_);
    Recording::TearDown();
  }
  ULONG flags_ = 0;
};

#if defined(__x86_64__) || defined(__i386__)
const unsigned char k_return_42[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3};  // mov eax,42; ret
#define NXPOOL_HAVE_CODE 1
#elif defined(__aarch64__)
const unsigned char k_return_42[] = {0x40, 0x05, 0x80, 0x52, 0xC0, 0x03, 0x5F, 0xD6};
#define NXPOOL_HAVE_CODE 1
#endif

#ifdef NXPOOL_HAVE_CODE
int run(void *code) {
  int (*routine)();
  std::memcpy(&routine, &code, sizeof routine);
  return routine();
}

void *g_at = nullptr;
void on_segv(int, siginfo_t *info, void *) {
  char line[64];
  int n = std::snprintf(line, sizeof line, "SIGSEGV at view%+ld\n",
                        static_cast<long>(static_cast<char *>(info->si_addr) -
                                          static_cast<char *>(g_at)));
  ssize_t ignored = write(STDERR_FILENO, line, static_cast<size_t>(n));
  (void)ignored;
  signal(SIGSEGV, SIG_DFL);
  raise(SIGSEGV);
}
void watch_faults_at(void *at) {
  g_at = at;
  struct sigaction sa {};
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigaction(SIGSEGV, &sa, nullptr);
}
#endif

TEST(IoSpace, TwoViewsOfOneAddressSeeEachOthersWrites) {
  auto *a = static_cast<volatile unsigned char *>(
      MmMapIoSpaceEx(phys(k_device + 0x10), 64, PAGE_READWRITE | PAGE_NOCACHE));
  auto *b = static_cast<volatile unsigned char *>(
      MmMapIoSpaceEx(phys(k_device), 4096, PAGE_READONLY));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(const_cast<unsigned char *>(a) - 0x10, const_cast<unsigned char *>(b));
  EXPECT_EQ(reinterpret_cast<ULONG_PTR>(a) & 0xFFF, 0x10u);  // same offset in the page
  a[0] = 0x5A;
  EXPECT_EQ(b[0x10], 0x5A);
  EXPECT_EQ(MmGetPhysicalAddress(const_cast<unsigned char *>(a)).QuadPart, k_device + 0x10);
  MmUnmapIoSpace(const_cast<unsigned char *>(a), 64);
  MmUnmapIoSpace(const_cast<unsigned char *>(b), 4096);
}

TEST(IoSpace, RejectsWhatTheSpecDoesNotAllow) {
  for (ULONG bad : {0u, 0x01u /* NOACCESS */, 0x08u /* WRITECOPY */, 0x80u,
                    static_cast<ULONG>(PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE),
                    static_cast<ULONG>(PAGE_READWRITE | 0x1000), static_cast<ULONG>(PAGE_NOCACHE)}) {
    EXPECT_EQ(MmMapIoSpaceEx(phys(k_device), 16, bad), nullptr) << bad;
  }
  EXPECT_EQ(MmMapIoSpaceEx(phys(k_device), 0, PAGE_READWRITE), nullptr);
  EXPECT_EQ(MmMapIoSpaceEx(phys(-4096), 16, PAGE_READWRITE), nullptr);
  EXPECT_EQ(MmMapIoSpace(phys(k_device), 16, MmMaximumCacheType), nullptr);
}

TEST(IoSpaceDeath, ReadOnlyViewFaultsOnWrite) {
  EXPECT_EXIT(
      {
        auto *v = static_cast<volatile char *>(MmMapIoSpaceEx(phys(k_device), 8, PAGE_READONLY));
        watch_faults_at(const_cast<char *>(v));
        v[3] = 1;
        std::fprintf(stderr, "wrote\n");
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at view\\+3\n");
}

#ifdef NXPOOL_HAVE_CODE
TEST(IoSpace, ExecutableViewRunsCode) {
  void *w = MmMapIoSpaceEx(phys(k_device + 0x2000), 64, PAGE_READWRITE);
  void *x = MmMapIoSpaceEx(phys(k_device + 0x2000), 64, PAGE_EXECUTE_READ);
  ASSERT_NE(w, nullptr);
  ASSERT_NE(x, nullptr);
  std::memcpy(w, k_return_42, sizeof k_return_42);
  __builtin___clear_cache(static_cast<char *>(x), static_cast<char *>(x) + sizeof k_return_42);
  EXPECT_EQ(run(x), 42);
  MmUnmapIoSpace(w, 64);
  MmUnmapIoSpace(x, 64);
}

TEST(IoSpaceDeath, ReadWriteViewIsNoExecute) {
  EXPECT_EXIT(
      {
        void *w = MmMapIoSpaceEx(phys(k_device + 0x3000), 64, PAGE_READWRITE);
        std::memcpy(w, k_return_42, sizeof k_return_42);
        watch_faults_at(w);
        std::fprintf(stderr, "returned %d\n", run(w));
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at view\\+0\n");
}

TEST(Contiguous, NodeMemoryFollowsItsProtection) {
  void *x = MmAllocateContiguousNodeMemory(100, phys(0), phys(-1) /* MAXULONG64: no limit */, phys(0),
                                           PAGE_EXECUTE_READWRITE, MM_ANY_NODE_OK);
  ASSERT_NE(x, nullptr);
  std::memcpy(x, k_return_42, sizeof k_return_42);
  __builtin___clear_cache(static_cast<char *>(x), static_cast<char *>(x) + sizeof k_return_42);
  EXPECT_EQ(run(x), 42);
  MmFreeContiguousMemory(x);
}

TEST(ContiguousDeath, ReadWriteNodeMemoryIsNoExecute) {
  EXPECT_EXIT(
      {
        void *m = MmAllocateContiguousNodeMemory(100, phys(0), phys(0xFFFFFFFF), phys(0),
                                                 PAGE_READWRITE, 0);
        std::memcpy(m, k_return_42, sizeof k_return_42);
        watch_faults_at(m);
        std::fprintf(stderr, "returned %d\n", run(m));
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at view\\+0\n");
}

TEST(Contiguous, TheAlwaysExecutableCallsAreExecutable) {
  void *a = MmAllocateContiguousMemory(64, phys(0xFFFFFFFF));
  void *b = MmAllocateContiguousMemorySpecifyCache(64, phys(0), phys(0xFFFFFFFF), phys(0),
                                                   MmNonCached);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (void *m : {a, b}) {
    std::memcpy(m, k_return_42, sizeof k_return_42);
    __builtin___clear_cache(static_cast<char *>(m), static_cast<char *>(m) + sizeof k_return_42);
    EXPECT_EQ(run(m), 42);
  }
  MmFreeContiguousMemory(a);
  MmFreeContiguousMemorySpecifyCache(b, 64, MmNonCached);
}
#endif

TEST(Contiguous, ZeroedPageAlignedAndWithinTheLimits) {
  constexpr LONGLONG k_highest = 0xFFFFFF;  // below 16 MiB, as an ISA-DMA device needs
  void *blocks[8];
  for (void *&m : blocks) {
    m = MmAllocateContiguousNodeMemory(0x6000, phys(0), phys(k_highest), phys(0x10000),
                                       PAGE_READWRITE | PAGE_WRITECOMBINE, 0);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(reinterpret_cast<ULONG_PTR>(m) % 4096, 0u);
    const auto *bytes = static_cast<const unsigned char *>(m);
    for (size_t i = 0; i < 0x6000; i += 512) ASSERT_EQ(bytes[i], 0) << i;
    LONGLONG pa = MmGetPhysicalAddress(m).QuadPart;
    EXPECT_GT(pa, 0);
    EXPECT_LE(pa + 0x6000 - 1, k_highest);
    EXPECT_EQ(pa / 0x10000, (pa + 0x6000 - 1) / 0x10000) << std::hex << pa;  // no boundary crossed
    EXPECT_EQ(MmGetPhysicalAddress(static_cast<char *>(m) + 0x5FFF).QuadPart, pa + 0x5FFF);
    std::memset(m, 0xEE, 0x6000);
  }
  for (void *m : blocks) MmFreeContiguousMemory(m);
  // Freed pages come back zeroed.
  void *again = MmAllocateContiguousNodeMemory(0x6000, phys(0), phys(k_highest), phys(0x10000),
                                               PAGE_READWRITE, 0);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(static_cast<unsigned char *>(again)[0], 0);
  MmFreeContiguousMemory(again);
}

TEST(Contiguous, PhysicalPagesAreVisibleThroughIoSpace) {
  auto *m = static_cast<unsigned char *>(MmAllocateContiguousNodeMemory(
      8192, phys(0), phys(0xFFFFFFFF), phys(0), PAGE_READWRITE, 0));
  ASSERT_NE(m, nullptr);
  m[4100] = 0x77;
  auto *io = static_cast<unsigned char *>(
      MmMapIoSpaceEx(MmGetPhysicalAddress(m + 4100), 1, PAGE_READONLY));
  ASSERT_NE(io, nullptr);
  EXPECT_EQ(*io, 0x77);
  MmUnmapIoSpace(io, 1);
  MmFreeContiguousMemory(m);
}

TEST(Contiguous, ImpossibleRequestsFail) {
  const PHYSICAL_ADDRESS zero = phys(0);
  EXPECT_EQ(MmAllocateContiguousNodeMemory(0, zero, phys(0xFFFFFFFF), zero, PAGE_READWRITE, 0),
            nullptr);
  EXPECT_EQ(MmAllocateContiguousNodeMemory(64, phys(0x200000), phys(0x100000), zero,
                                           PAGE_READWRITE, 0),
            nullptr);
  EXPECT_EQ(MmAllocateContiguousNodeMemory(64, zero, phys(0xFFF), zero, PAGE_READWRITE, 0),
            nullptr);  // below the first simulated page of RAM
  EXPECT_EQ(MmAllocateContiguousNodeMemory(0x20000, zero, phys(0xFFFFFFFF), phys(0x10000),
                                           PAGE_READWRITE, 0),
            nullptr);  // larger than the boundary
  for (ULONG bad : {static_cast<ULONG>(PAGE_READONLY), static_cast<ULONG>(PAGE_EXECUTE_READ),
                    static_cast<ULONG>(PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE)}) {
    EXPECT_EQ(MmAllocateContiguousNodeMemory(64, zero, phys(0xFFFFFFFF), zero, bad, 0), nullptr)
        << bad;
  }
}

TEST_F(CodeIntegrity, ExecutableProtectionIs0xC4_0x2001AndFails) {
  EXPECT_EQ(MmMapIoSpaceEx(phys(k_device), 16, PAGE_EXECUTE_READ | PAGE_NOCACHE), nullptr);
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x2001u);
  EXPECT_NE(g_seen.p2, 0u);  // the caller
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READ | PAGE_NOCACHE));
  EXPECT_EQ(g_seen.p4, 0u);

  g_seen = {};
  EXPECT_EQ(MmAllocateContiguousNodeMemory(64, phys(0), phys(0xFFFFFFFF), phys(0),
                                           PAGE_EXECUTE_READWRITE, 0),
            nullptr);
  EXPECT_EQ(g_seen.p1, 0x2001u);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READWRITE));
}

TEST_F(CodeIntegrity, AlwaysExecutableCallsReportTheProtectionTheyImply) {
  EXPECT_EQ(MmMapIoSpace(phys(k_device), 16, MmNonCached), nullptr);
  EXPECT_EQ(g_seen.p1, 0x2001u);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READWRITE | PAGE_NOCACHE));
  g_seen = {};
  EXPECT_EQ(MmAllocateContiguousMemory(64, phys(0xFFFFFFFF)), nullptr);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READWRITE));
  g_seen = {};
  EXPECT_EQ(MmAllocateContiguousMemorySpecifyCache(64, phys(0), phys(0xFFFFFFFF), phys(0),
                                                   MmWriteCombined),
            nullptr);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READWRITE | PAGE_WRITECOMBINE));
  g_seen = {};
  EXPECT_EQ(MmAllocateContiguousMemorySpecifyCacheNode(64, phys(0), phys(0xFFFFFFFF), phys(0),
                                                       MmCached, MM_ANY_NODE_OK),
            nullptr);
  EXPECT_EQ(g_seen.p3, static_cast<ULONG_PTR>(PAGE_EXECUTE_READWRITE));
}

TEST_F(CodeIntegrity, NoExecuteRequestsPass) {
  void *io = MmMapIoSpaceEx(phys(k_device), 16, PAGE_READWRITE | PAGE_NOCACHE);
  void *m = MmAllocateContiguousNodeMemory(64, phys(0), phys(0xFFFFFFFF), phys(0),
                                           PAGE_READWRITE, MM_ANY_NODE_OK);
  EXPECT_NE(io, nullptr);
  EXPECT_NE(m, nullptr);
  EXPECT_EQ(g_seen.count, 0);
  MmUnmapIoSpace(io, 16);
  MmFreeContiguousMemory(m);
}

TEST(IoSpaceDeath, CodeIntegrityDefaultHandlerAborts) {
  EXPECT_EXIT(
      {
        nxpool_set_verifier_flags(NXPOOL_VERIFIER_CODE_INTEGRITY);
        MmMapIoSpaceEx(phys(k_device), 16, PAGE_EXECUTE_READWRITE);
      },
      ::testing::KilledBySignal(SIGABRT),
      "KeBugCheckEx 0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION\n"
      "  P1 0x2001: executable page protection requested .*\n"
      ".*P3 page protection: 0x40\n");
}

TEST_F(Recording, UnmappingWhatWasNotMappedIs0xC4_0x10) {
  void *io = MmMapIoSpaceEx(phys(k_device), 100, PAGE_READWRITE);
  ASSERT_NE(io, nullptr);
  MmUnmapIoSpace(io, 99);  // wrong size: nothing unmapped
  ASSERT_EQ(g_seen.count, 1);
  EXPECT_EQ(g_seen.code, 0xC4u);
  EXPECT_EQ(g_seen.p1, 0x10u);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(io));
  EXPECT_EQ(g_seen.p3, 99u);
  EXPECT_EQ(g_seen.p4, 100u);
  static_cast<volatile char *>(io)[99] = 1;  // still mapped
  MmUnmapIoSpace(io, 100);
  EXPECT_EQ(g_seen.count, 1);
  MmUnmapIoSpace(io, 100);  // twice
  EXPECT_EQ(g_seen.count, 2);
  EXPECT_EQ(g_seen.p4, 0u);

  int local = 0;
  MmFreeContiguousMemory(&local);
  EXPECT_EQ(g_seen.count, 3);
  EXPECT_EQ(g_seen.p1, 0x10u);
  EXPECT_EQ(g_seen.p2, reinterpret_cast<ULONG_PTR>(&local));
  void *m = MmAllocateContiguousNodeMemory(64, phys(0), phys(0xFFFFFFFF), phys(0), PAGE_READWRITE, 0);
  MmUnmapIoSpace(m, 64);  // a contiguous block is no I/O mapping
  EXPECT_EQ(g_seen.count, 4);
  MmFreeContiguousMemory(m);
  MmFreeContiguousMemory(m);  // twice
  EXPECT_EQ(g_seen.count, 5);
}

TEST(IoSpaceDeath, DoubleUnmapAborts) {
  EXPECT_EXIT(
      {
        void *io = MmMapIoSpaceEx(phys(k_device), 8, PAGE_READWRITE);
        MmUnmapIoSpace(io, 8);
        MmUnmapIoSpace(io, 8);
      },
      ::testing::KilledBySignal(SIGABRT),
      "DRIVER_VERIFIER_DETECTED_VIOLATION\n  P1 0x10: freeing or unmapping an address");
}

}  // namespace
