/* The "kernel" side of the demo: loads legacy_driver, reports what each of
 * its files got from the pool, proves it by executing from the blocks, and
 * unloads it. Not part of the driver, and not opted in. */
#define _DEFAULT_SOURCE
#include "driver.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *pool_type_name(int type) {
  switch (type) {
    case 0: return "NonPagedPoolExecute";
    case 512: return "NonPagedPoolNx";
    default: return "other";
  }
}

static const char *pages_name(const void *p) {
  switch (nxpool_is_executable(p)) {
    case 1: return "executable";
    case 0: return "no-execute";
    default: return "not a pool block";
  }
}

/* Runs fn in a child process; returns its exit status or -signal. */
static int in_child(int (*fn)(void)) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGSEGV, SIG_DFL);
    _exit(fn() & 0xFF);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1000;
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/* Copies the thunk into buffers.c's no-execute block and jumps there. */
static int call_copy_in_nx_buffer(void) {
  memcpy(g_state.RingBuffer, g_state.Thunk, 64);
  void *saved = g_state.Thunk;
  g_state.Thunk = g_state.RingBuffer;
  int result = thunk_call();
  g_state.Thunk = saved;
  return result;
}

/* Runs in a fresh process started with NXPOOL_OS_VERSION=6.1: the opt-in
 * globals are one-way, so the parent's already-initialised image cannot
 * show what a Windows 7 load does. */
static int load_on_windows_7(void) {
  DRIVER_OBJECT driver;
  memset(&driver, 0, sizeof driver);
  if (!NT_SUCCESS(DriverEntry(&driver, NULL))) return 255;
  int type = g_state.RingBufferPoolType;
  int exec = nxpool_is_executable(g_state.RingBuffer);
  driver.DriverUnload(&driver);
  return type == 0 && exec == 1 ? 7 : 1;
}

/* Starts this program again as a simulated Windows 7 machine. */
static int run_as_windows_7(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    setenv("NXPOOL_OS_VERSION", "6.1", 1);
    execl("/proc/self/exe", "legacy_driver", "--windows7-child", (char *)NULL);
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--windows7-child") == 0) return load_on_windows_7();

  printf("nxpool demo: legacy_driver, compiled with POOL_NX_OPTIN=1 for every file\n");
  printf("(thunk.c adds #define POOL_NX_OPTOUT 1 above its first include)\n\n");

  RTL_OSVERSIONINFOW version;
  memset(&version, 0, sizeof version);
  version.dwOSVersionInfoSize = sizeof version;
  RtlGetVersion(&version);
  printf("Simulated Windows version: %lu.%lu\n", (unsigned long)version.dwMajorVersion,
         (unsigned long)version.dwMinorVersion);

  DRIVER_OBJECT driver;
  memset(&driver, 0, sizeof driver);
  NTSTATUS status = DriverEntry(&driver, NULL);
  printf("DriverEntry returned 0x%08lx; it called ExInitializeDriverRuntime(DrvRtPoolNxOptIn)\n\n",
         (unsigned long)(ULONG)status);
  if (!NT_SUCCESS(status)) return 1;

  printf("  %-10s %-8s %-34s %-6s %-6s %s\n", "file", "NX mode", "NonPagedPool became", "tag",
         "size", "pages");
  printf("  %-10s %-8s %-34s\n", "driver.c", driver_file_mode(), "(allocates nothing)");
  char type_text[64];
  snprintf(type_text, sizeof type_text, "%d = %s", g_state.RingBufferPoolType,
           pool_type_name(g_state.RingBufferPoolType));
  printf("  %-10s %-8s %-34s %-6s %-6lu %s\n", "buffers.c", buffers_file_mode(), type_text, "LBuf",
         (unsigned long)g_state.RingBufferSize, pages_name(g_state.RingBuffer));
  snprintf(type_text, sizeof type_text, "%d = %s", g_state.ThunkPoolType,
           pool_type_name(g_state.ThunkPoolType));
  printf("  %-10s %-8s %-34s %-6s %-6d %s\n\n", "thunk.c", thunk_file_mode(), type_text, "Thnk", 64,
         pages_name(g_state.Thunk));

  int ok = 1;
  int answer = thunk_call();
  printf("Calling the routine thunk.c wrote into its NonPagedPool block: returned %d -> %s\n",
         answer, answer == 42 ? "executable pool runs code" : "UNEXPECTED");
  ok &= answer == 42;

  int child = in_child(call_copy_in_nx_buffer);
  if (child == -SIGSEGV) {
    printf("Copying it into buffers.c's NonPagedPool block and calling it (in a child process):\n"
           "  killed by SIGSEGV -> no-execute pool refuses to run code\n");
  } else {
    printf("Calling code in buffers.c's block did not fault (status %d): UNEXPECTED\n", child);
    ok = 0;
  }

  printf("\nPool usage while the driver is loaded (poolmon-style, NX and executable apart):\n");
  nxpool_stats_print(stdout);

  driver.DriverUnload(&driver);
  printf("\nDriverUnload freed both blocks.\n");

  int win7 = run_as_windows_7();
  printf("\nThe same driver loaded on a simulated Windows 7 (NXPOOL_OS_VERSION=6.1): %s\n",
         win7 == 7 ? "buffers.c's NonPagedPool stays\n  executable there: "
                     "ExInitializeDriverRuntime opts in only on Windows 8 (6.2) and later"
                   : "UNEXPECTED result");
  ok &= win7 == 7;

  printf("\n%s\n", ok ? "demo: OK" : "demo: FAILED");
  return ok ? 0 : 1;
}
