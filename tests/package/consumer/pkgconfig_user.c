/* Built with nothing but `pkg-config --cflags --libs nxpool`. */
#include <ntddk.h>
#include <stdio.h>
int main(void) {
  void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'gkPC');
  printf("pkg-config user: executable=%d\n", nxpool_is_executable(p));
  ExFreePoolWithTag(p, 'gkPC');
  return 0;
}
