/*
 * Prints what the NX opt-in made of this translation unit (spec section
 * 1.9): mode, NonPagedPool, NonPagedPoolCacheAligned, the Priority that
 * reaches MmMapLockedPagesSpecifyCache for NormalPagePriority (directly and
 * through MmGetSystemAddressForMdlSafe) and the Flags that reach
 * ExInitializeNPagedLookasideList for 0.
 *
 * A second line lists the names the opt-in must never change (spec 1.3, "not
 * rewritten"); run_matrix.sh checks it against the spec's values for every
 * row.
 *
 * usage: probe [MAJOR.MINOR|fail [INIT_FLAGS [again]]]
 *   sets the OS version RtlGetVersion reports ("fail": the query fails),
 *   then calls ExInitializeDriverRuntime(INIT_FLAGS) when INIT_FLAGS is given;
 *   "again" then simulates Windows 7 and calls it twice more (with 0 and with
 *   DrvRtPoolNxOptIn): the globals are one-way, nothing resets them (1.5).
 * Compiled as C and as C++ (-x c++), with GCC and Clang, by run_matrix.sh.
 */
#ifdef PROBE_OPTOUT_IN_FILE
#define POOL_NX_OPTOUT 1 /* before the include: takes effect */
#endif
#include <nxpool/wdm.h>
#ifdef PROBE_OPTOUT_AFTER_INCLUDE
#define POOL_NX_OPTOUT 1 /* after the include: the WDK's trap, no effect */
#endif
#include <stdio.h>
#include <stdlib.h>

#include "recorder.h"

#ifdef PROBE_CONSTANT_CONTEXT
/* Only a compile-time constant may appear here: fine under AUTO, a compile
 * error under OPTIN, where NonPagedPool is a variable (spec 1.3). */
static int is_nonpaged(int t) {
  switch (t) {
    case NonPagedPool: return 1;
    default: return 0;
  }
}
#endif

int main(int argc, char **argv) {
  if (argc > 1) {
    unsigned major = 0, minor = 0;
    if (argv[1][0] == 'f') {
      recorder_set_os(0, 0, 1);
    } else if (sscanf(argv[1], "%u.%u", &major, &minor) == 2) {
      recorder_set_os(major, minor, 0);
    } else {
      fprintf(stderr, "probe: bad version '%s'\n", argv[1]);
      return 2;
    }
  }
  if (argc > 2) {
    ExInitializeDriverRuntime((ULONG)strtoul(argv[2], NULL, 0));
  }
  if (argc > 3) {
    recorder_set_os(6, 1, 0);
    ExInitializeDriverRuntime(0);
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
  }

  MDL mdl;
  memset(&mdl, 0, sizeof mdl);
  MmMapLockedPagesSpecifyCache(&mdl, KernelMode, MmCached, NULL, FALSE, NormalPagePriority);
  ULONG direct = recorded_mdl_priority;
  MmGetSystemAddressForMdlSafe(&mdl, NormalPagePriority);
  ULONG safe = recorded_mdl_priority;

  NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 64, 'tseT', 0);

  printf("mode=%s npp=%d ca=%d mdl=0x%lx safe=0x%lx la=0x%lx zero=%d\n", NXPOOL_NX_MODE_NAME,
         (int)NonPagedPool, (int)NonPagedPoolCacheAligned, (unsigned long)direct,
         (unsigned long)safe, (unsigned long)recorded_lookaside_flags,
         (int)ExPoolZeroingNativelySupported);
  printf("fixed exec=%d mustsucceed=%d mustsca=%d session=%d sessionca=%d base=%d baseca=%d "
         "paged=%d nx=%d nxca=%d low=%d normal=%d high=%d nxalloc=%d nxmap=0x%lx "
         "flag_np=0x%llx flag_npx=0x%llx\n",
         (int)NonPagedPoolExecute, (int)NonPagedPoolMustSucceed,
         (int)NonPagedPoolCacheAlignedMustS, (int)NonPagedPoolSession,
         (int)NonPagedPoolCacheAlignedSession, (int)NonPagedPoolBase,
         (int)NonPagedPoolBaseCacheAligned, (int)PagedPool, (int)NonPagedPoolNx,
         (int)NonPagedPoolNxCacheAligned, (int)LowPagePriority, (int)NormalPagePriority,
         (int)HighPagePriority, (int)POOL_NX_ALLOCATION, (unsigned long)MdlMappingNoExecute,
         (unsigned long long)POOL_FLAG_NON_PAGED, (unsigned long long)POOL_FLAG_NON_PAGED_EXECUTE);
#ifdef PROBE_CONSTANT_CONTEXT
  printf("constant=%d\n", is_nonpaged(NonPagedPoolNx));
#endif
#ifdef PROBE_REFERENCE_GLOBALS
  /* The globals exist only in OPTIN files (spec 1.4). */
  printf("globals=%d,0x%lx\n", (int)ExDefaultNonPagedPoolType,
         (unsigned long)ExDefaultMdlProtection);
#endif
  return 0;
}
