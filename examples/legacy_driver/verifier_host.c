/* Issue 13: legacy_driver's error paths under the low resources simulation
 * and its unload under pool tracking - what Driver Verifier options 0x4 and
 * 0x8 are for, without a Windows test machine.
 *
 *  1. DriverEntry with every allocation of one tag failing: the buffer
 *     ("LBuf", DriverEntry's first allocation) and then the thunk ("Thnk",
 *     its second, after which DriverEntry must free the buffer again). Each
 *     must fail with STATUS_INSUFFICIENT_RESOURCES and leave nothing behind.
 *  2. Many loads with 50 % of allocations failing, seeded: each load either
 *     fails cleanly or succeeds and unloads cleanly; both must happen.
 *  3. A load and unload under pool tracking: nxpool_verify_unload() finds
 *     nothing. Then an unload that skips the thunk: bug check 0xC4/0x62
 *     with one outstanding allocation.
 * Prints "verifier: OK" when every check holds. */
#include "driver.h"

#include <stdio.h>

static int g_failures;

static void check(int ok, const char *what) {
  printf("  %-66s %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) ++g_failures;
}

static ULONG g_code;
static ULONG_PTR g_p1, g_p4;
static void on_bugcheck(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  (void)p2;
  (void)p3;
  g_code = code;
  g_p1 = p1;
  g_p4 = p4;
}

static NTSTATUS load(DRIVER_OBJECT *driver) {
  memset(driver, 0, sizeof *driver);
  memset(&g_state, 0, sizeof g_state);
  return DriverEntry(driver, NULL);
}

int main(void) {
  DRIVER_OBJECT driver;
  nxpool_set_verifier_flags(NXPOOL_VERIFIER_LOW_RESOURCES | NXPOOL_VERIFIER_POOL_TRACKING);

  printf("1. one allocation fails at a time (low resources, one tag, rate 100 %%)\n");
  static const ULONG tags[2] = {TAG_BUFFER, TAG_THUNK};
  for (int i = 0; i < 2; ++i) {
    nxpool_set_low_resources(1000000, 0, 1, tags[i]);
    uint64_t before = nxpool_injected_failures();
    NTSTATUS status = load(&driver);
    check(status == STATUS_INSUFFICIENT_RESOURCES,
          i == 0 ? "buffer fails: DriverEntry returns STATUS_INSUFFICIENT_RESOURCES"
                 : "thunk fails: DriverEntry returns STATUS_INSUFFICIENT_RESOURCES");
    check(nxpool_injected_failures() - before == 1, "exactly one failure was injected");
    check(nxpool_report_leaks(stdout) == 0, "nothing left allocated by the failed DriverEntry");
  }

  printf("2. 200 loads, half of all allocations failing (seeded)\n");
  int loaded = 0, refused = 0, clean = 1;
  nxpool_set_low_resources(500000, 0, 2026, 0);
  for (int round = 0; round < 200; ++round) {
    NTSTATUS status = load(&driver);
    if (NT_SUCCESS(status)) {
      ++loaded;
      driver.DriverUnload(&driver);
    } else {
      ++refused;
      clean &= status == STATUS_INSUFFICIENT_RESOURCES;
    }
    clean &= nxpool_report_leaks(stdout) == 0;
  }
  printf("  loaded %d times, refused %d times\n", loaded, refused);
  check(loaded > 0 && refused > 0, "both the success and the failure paths ran");
  check(clean, "every failure was STATUS_INSUFFICIENT_RESOURCES and left no pool");

  printf("3. unload under pool tracking\n");
  nxpool_set_verifier_flags(NXPOOL_VERIFIER_POOL_TRACKING);
  nxpool_set_bugcheck_handler(on_bugcheck);
  check(NT_SUCCESS(load(&driver)), "DriverEntry succeeds");
  driver.DriverUnload(&driver);
  check(nxpool_verify_unload() == 0 && g_code == 0, "DriverUnload frees everything");
  check(NT_SUCCESS(load(&driver)), "DriverEntry succeeds again");
  buffers_destroy(); /* an unload that forgets thunk_destroy() */
  size_t left = nxpool_verify_unload();
  check(left == 1 && g_code == 0xC4 && g_p1 == 0x62 && g_p4 == 1,
        "a forgotten block is bug check 0xC4/0x62 with P4 = 1");
  thunk_destroy();
  check(nxpool_verify_unload() == 0, "nothing outstanding after the real cleanup");

  printf("%s\n", g_failures == 0 ? "verifier: OK" : "verifier: FAILED");
  return g_failures == 0 ? 0 : 1;
}
