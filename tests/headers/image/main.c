/* Drives the image tests: each argument is an action (exe_init, dso_init),
 * then it prints what NonPagedPool is in each image. */
#include <stdio.h>
#include <string.h>

void exe_init(void);
int exe_pool_type(void);
#ifdef WITH_DSO
void dso_init(void);
int dso_pool_type(void);
#endif

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "exe_init")) exe_init();
#ifdef WITH_DSO
    if (!strcmp(argv[i], "dso_init")) dso_init();
#endif
  }
  printf("exe=%d", exe_pool_type());
#ifdef WITH_DSO
  printf(" dso=%d", dso_pool_type());
#endif
  printf("\n");
  return 0;
}
