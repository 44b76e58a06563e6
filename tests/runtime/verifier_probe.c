/* Reports what NXPOOL_VERIFIER (read at start-up) turned on: it asks for
 * executable pool with a bug-check handler installed and prints what, if
 * anything, was caught, whether the block came from special pool, then the
 * flag word the runtime kept. */
#include <nxpool/wdm.h>
#include <stdio.h>

static void on_bugcheck(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  (void)p2;
  (void)p4;
  printf("bugcheck 0x%lX/0x%lX type %lu\n", (unsigned long)code, (unsigned long)p1,
         (unsigned long)p3);
}

int main(void) {
  nxpool_set_bugcheck_handler(on_bugcheck);
  void *p = ExAllocatePoolWithTag(NonPagedPoolExecute, 32, 0x62657250);
  printf("allocation %s\n", p != NULL ? "succeeded" : "failed");
  if (nxpool_special_pool_contains(p)) printf("special pool block\n");
  printf("flags 0x%lx\n", (unsigned long)nxpool_set_verifier_flags(0));
  return 0;
}
