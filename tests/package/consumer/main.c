#include <nxpool/wdm.h>
#include <stdio.h>

const char *nx_file_mode(void);
void *nx_file_alloc(void);
const char *exec_file_mode(void);
void *exec_file_alloc(void);

int main(void) {
  void *a = nx_file_alloc(), *b = exec_file_alloc();
  printf("nx_file=%s:%d exec_file=%s:%d\n", nx_file_mode(), nxpool_is_executable(a),
         exec_file_mode(), nxpool_is_executable(b));
  ExFreePoolWithTag(a, 'xNoC');
  ExFreePoolWithTag(b, 'xEoC');
  return 0;
}
