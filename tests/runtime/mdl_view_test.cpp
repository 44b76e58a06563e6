// Issue 13, "A real MDL mapping": MmMapLockedPagesSpecifyCache returns a
// second view of the same pages with its own protection. Writes through one
// view are seen in the other; a no-execute view faults when executed and an
// executable one runs; MdlMappingNoWrite is read-only; MmUnmapLockedPages
// removes the view. Faults run in child processes that print where they
// faulted relative to the view. MDL views of pool memory are switched on
// (nxpool_set_mdl_views) before the first allocation. The children are fresh processes
// ("threadsafe" death tests re-execute the binary): a forked child's pool
// pages are private copies (arena.cpp), which cannot be viewed twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <nxpool/wdm.h>

namespace {

constexpr ULONG k_tag = 0x7765694D;  // "Miew"

#if defined(__x86_64__) || defined(__i386__)
const unsigned char k_return_42[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3};  // mov eax,42; ret
#elif defined(__aarch64__)
const unsigned char k_return_42[] = {0x40, 0x05, 0x80, 0x52, 0xC0, 0x03, 0x5F, 0xD6};
#endif

void *g_view = nullptr;
void on_segv(int, siginfo_t *info, void *) {
  char line[64];
  int n = std::snprintf(line, sizeof line, "SIGSEGV at view%+ld\n",
                        static_cast<long>(static_cast<char *>(info->si_addr) -
                                          static_cast<char *>(g_view)));
  ssize_t ignored = write(STDERR_FILENO, line, static_cast<size_t>(n));
  (void)ignored;
  signal(SIGSEGV, SIG_DFL);
  raise(SIGSEGV);
}
void watch(void *view) {
  g_view = view;
  struct sigaction sa {};
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigaction(SIGSEGV, &sa, nullptr);
}

int run(void *code) {
  __builtin___clear_cache(static_cast<char *>(code), static_cast<char *>(code) + 16);
  int (*routine)();
  std::memcpy(&routine, &code, sizeof routine);
  return routine();
}

struct Mapped {
  char *block;
  PMDL mdl;
  char *view;
};

Mapped map(POOL_TYPE type, SIZE_T bytes, KPROCESSOR_MODE mode, ULONG priority) {
  auto *block = static_cast<char *>(ExAllocatePoolWithTag(type, bytes, k_tag));
  PMDL mdl = IoAllocateMdl(block, static_cast<ULONG>(bytes), FALSE, FALSE, nullptr);
  MmProbeAndLockPages(mdl, mode, IoWriteAccess);
  auto *view = static_cast<char *>(
      MmMapLockedPagesSpecifyCache(mdl, mode, MmCached, nullptr, FALSE, priority));
  return {block, mdl, view};
}

void unmap(const Mapped &m) {
  MmUnmapLockedPages(m.view, m.mdl);
  MmUnlockPages(m.mdl);
  IoFreeMdl(m.mdl);
  ExFreePoolWithTag(m.block, k_tag);
}

TEST(MdlView, WritesThroughOneViewAreSeenInTheOther) {
  Mapped m = map(NonPagedPoolNx, 10000, KernelMode, NormalPagePriority | MdlMappingNoExecute);
  ASSERT_NE(m.view, nullptr);
  EXPECT_NE(m.view, m.block);
  EXPECT_EQ(reinterpret_cast<ULONG_PTR>(m.view) % 4096, reinterpret_cast<ULONG_PTR>(m.block) % 4096);
  m.block[0] = 'a';
  m.view[9999] = 'z';
  EXPECT_EQ(m.view[0], 'a');
  EXPECT_EQ(m.block[9999], 'z');
  EXPECT_EQ(MmGetPhysicalAddress(m.block + 5000).QuadPart,
            MmGetPhysicalAddress(m.block).QuadPart + 5000);
  unmap(m);
}

class MdlViewDeath : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
  void TearDown() override { GTEST_FLAG_SET(death_test_style, "fast"); }
};

TEST_F(MdlViewDeath, ExecutingANoExecuteViewFaults) {
  EXPECT_EXIT(
      {
        // Executable pool, viewed without execute: the view's own protection counts.
        Mapped m = map(NonPagedPoolExecute, 64, KernelMode, NormalPagePriority | MdlMappingNoExecute);
        std::memcpy(m.block, k_return_42, sizeof k_return_42);
        std::fprintf(stderr, "pool block runs: %d\n", run(m.block));
        watch(m.view);
        std::fprintf(stderr, "view returned %d\n", run(m.view));
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "pool block runs: 42\nSIGSEGV at view\\+0\n");
}

TEST(MdlView, AnExecutableViewRunsEvenOverNxPool) {
  Mapped m = map(NonPagedPoolNx, 64, KernelMode, NormalPagePriority);  // no MdlMappingNoExecute
  ASSERT_NE(m.view, nullptr);
  std::memcpy(m.block, k_return_42, sizeof k_return_42);  // written through the NX view
  EXPECT_EQ(run(m.view), 42);
  unmap(m);
}

TEST_F(MdlViewDeath, NoWriteViewIsReadOnly) {
  EXPECT_EXIT(
      {
        Mapped m = map(PagedPool, 64, KernelMode,
                       NormalPagePriority | MdlMappingNoExecute | MdlMappingNoWrite);
        m.block[5] = 'r';
        std::fprintf(stderr, "reads %c\n", m.view[5]);
        watch(m.view);
        m.view[5] = 'w';
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "reads r\nSIGSEGV at view\\+5\n");
}

TEST_F(MdlViewDeath, UserModeViewsAreNoExecute) {
  EXPECT_EXIT(
      {
        Mapped m = map(NonPagedPoolExecute, 64, UserMode, NormalPagePriority);
        std::memcpy(m.block, k_return_42, sizeof k_return_42);
        watch(m.view);
        std::fprintf(stderr, "view returned %d\n", run(m.view));
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at view\\+0\n");
}

TEST_F(MdlViewDeath, UnmapRemovesTheView) {
  EXPECT_EXIT(
      {
        Mapped m = map(NonPagedPoolNx, 64, KernelMode, NormalPagePriority | MdlMappingNoExecute);
        MmUnmapLockedPages(m.view, m.mdl);
        watch(m.view);
        std::fprintf(stderr, "read %d\n", *static_cast<volatile char *>(m.view));
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at view\\+0\n");
}

TEST(MdlView, MemoryWithoutPhysicalPagesMapsToItself) {
  static char buffer[128];  // not pool: no second view is possible
  PMDL mdl = IoAllocateMdl(buffer, sizeof buffer, FALSE, FALSE, nullptr);
  MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
  void *view = MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, nullptr, FALSE,
                                            NormalPagePriority | MdlMappingNoExecute);
  EXPECT_EQ(view, static_cast<void *>(buffer));
  MmUnmapLockedPages(view, mdl);
  MmUnlockPages(mdl);
  IoFreeMdl(mdl);
}

TEST(MdlView, ContiguousMemoryAndIoSpaceCanBeViewed) {
  PHYSICAL_ADDRESS lo, hi, none;
  lo.QuadPart = 0;
  hi.QuadPart = -1;
  none.QuadPart = 0;
  auto *c = static_cast<char *>(
      MmAllocateContiguousNodeMemory(8192, lo, hi, none, PAGE_READWRITE, MM_ANY_NODE_OK));
  ASSERT_NE(c, nullptr);
  PMDL mdl = IoAllocateMdl(c + 4000, 200, FALSE, FALSE, nullptr);  // crosses a page
  MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
  auto *view = static_cast<char *>(MmMapLockedPagesSpecifyCache(
      mdl, KernelMode, MmCached, nullptr, FALSE, NormalPagePriority | MdlMappingNoExecute));
  ASSERT_NE(view, nullptr);
  EXPECT_NE(view, c + 4000);
  view[150] = 'q';
  EXPECT_EQ(c[4150], 'q');
  MmUnmapLockedPages(view, mdl);
  MmUnlockPages(mdl);
  IoFreeMdl(mdl);
  MmFreeContiguousMemory(c);
}

// A forked child gets private pool pages: its writes do not reach the parent.
TEST(MdlView, ForkedChildrenDoNotSharePool) {
  auto *p = static_cast<volatile char *>(ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag));
  p[0] = 'p';
  pid_t child = fork();
  if (child == 0) {
    p[0] = 'c';
    void *q = ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag);  // moves the child's lists
    std::memset(q, 0x5A, 64);
    _exit(p[0] == 'c' ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(p[0], 'p');
  ExFreePoolWithTag(const_cast<char *>(p), k_tag);
}

// Views of pool memory need shared pool segments, on before the first
// allocation (also in the re-executed death-test children).
[[maybe_unused]] const bool g_views_on = (nxpool_set_mdl_views(1), true);

}  // namespace
