// Issue 2, item 6: calling into an executable pool block works, calling into
// an NX block faults. Spec section 3.1 (NonPagedPool = 0 is executable,
// NonPagedPoolNx = 512 is not) and 3.4 (POOL_FLAG_NON_PAGED is NX,
// POOL_FLAG_NON_PAGED_EXECUTE executable).
//
// The NX cases run in a child process (a death test). The child installs a
// SIGSEGV handler that prints the faulting address relative to the block and
// then dies by the signal, so the test checks both that the process was
// killed by SIGSEGV and that the fault was the instruction fetch at the very
// start of the NX block - not some other crash.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace {

#if defined(__x86_64__) || defined(__i386__)
// mov eax, 42 ; ret
const unsigned char k_return_42[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3};
#define NXPOOL_HAVE_CODE 1
#elif defined(__aarch64__)
// mov w0, #42 ; ret
const unsigned char k_return_42[] = {0x40, 0x05, 0x80, 0x52, 0xC0, 0x03, 0x5F, 0xD6};
#define NXPOOL_HAVE_CODE 1
#endif

#ifdef NXPOOL_HAVE_CODE
using Routine = int (*)();

constexpr ULONG k_tag = 0x63657845;  // bytes "Exec" in memory, i.e. 'cexE'


Routine install(void *block) {
  std::memcpy(block, k_return_42, sizeof k_return_42);
  __builtin___clear_cache(static_cast<char *>(block),
                          static_cast<char *>(block) + sizeof k_return_42);
  Routine r;
  std::memcpy(&r, &block, sizeof r);
  return r;
}

void *g_block = nullptr;

void on_segv(int, siginfo_t *info, void *) {
  char line[96];
  long delta = static_cast<char *>(info->si_addr) - static_cast<char *>(g_block);
  int n = std::snprintf(line, sizeof line, "SIGSEGV at block%+ld\n", delta);
  ssize_t ignored = write(STDERR_FILENO, line, static_cast<size_t>(n));
  (void)ignored;
  signal(SIGSEGV, SIG_DFL);
  raise(SIGSEGV);
}

// Runs the routine in `block`; only returns if the call did not fault.
void call_expecting_fault(void *block) {
  g_block = block;
  struct sigaction sa {};
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigaction(SIGSEGV, &sa, nullptr);
  int result = install(block)();
  std::fprintf(stderr, "returned %d\n", result);
  std::exit(0);
}

class ExecTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(ExecTest, NonPagedPoolBlockRunsCode) {
  void *block = ExAllocatePoolWithTag(NonPagedPool, 64, k_tag);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(nxpool_is_executable(block), 1);
  EXPECT_EQ(install(block)(), 42);
  ExFreePoolWithTag(block, k_tag);
}

TEST_F(ExecTest, NonPagedPoolExecuteFlagBlockRunsCode) {
  void *block = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, k_tag);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(nxpool_is_executable(block), 1);
  EXPECT_EQ(install(block)(), 42);
  ExFreePool(block);
}

TEST_F(ExecTest, NonPagedPoolNxBlockFaults) {
  EXPECT_EXIT(call_expecting_fault(ExAllocatePoolWithTag(NonPagedPoolNx, 64, k_tag)),
              ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at block\\+0\n");
}

TEST_F(ExecTest, PoolFlagNonPagedBlockFaults) {
  EXPECT_EXIT(call_expecting_fault(ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, k_tag)),
              ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at block\\+0\n");
}

#if defined(__x86_64__) || defined(__aarch64__)
TEST_F(ExecTest, PagedPoolBlockFaultsOn64BitHosts) {
  EXPECT_EXIT(call_expecting_fault(ExAllocatePoolWithTag(PagedPool, 64, k_tag)),
              ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at block\\+0\n");
}
#endif

// Large blocks are separate mappings; they must keep their kind's protection.
TEST_F(ExecTest, LargeExecutableBlockRunsCodeAndLargeNxBlockFaults) {
  void *block = ExAllocatePoolWithTag(NonPagedPool, 256 * 1024, k_tag);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(install(block)(), 42);
  ExFreePoolWithTag(block, k_tag);
  EXPECT_EXIT(call_expecting_fault(ExAllocatePoolWithTag(NonPagedPoolNx, 256 * 1024, k_tag)),
              ::testing::KilledBySignal(SIGSEGV), "SIGSEGV at block\\+0\n");
}

// The fault is a property of the page, not of how the block was reached: an
// executable block freed and reused by an NX request cannot exist, because
// the kinds never share pages.
TEST_F(ExecTest, KindsNeverSharePages) {
  void *exec = ExAllocatePoolWithTag(NonPagedPool, 32, k_tag);
  ExFreePoolWithTag(exec, k_tag);
  void *nx = ExAllocatePoolWithTag(NonPagedPoolNx, 32, k_tag);
  EXPECT_NE(reinterpret_cast<std::uintptr_t>(exec) / 4096,
            reinterpret_cast<std::uintptr_t>(nx) / 4096);
  EXPECT_EQ(nxpool_is_executable(nx), 0);
  ExFreePoolWithTag(nx, k_tag);
}
#else
TEST(ExecTest, NoMachineCodeForThisHost) { GTEST_SKIP() << "no test routine for this CPU"; }
#endif

}  // namespace
