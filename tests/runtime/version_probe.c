/* Prints what RtlGetVersion reports; run by version_test.cpp with different
 * NXPOOL_OS_VERSION values (the variable is read at start-up). C on purpose:
 * the runtime's C ABI must link from C. */
#include <nxpool/wdm.h>
#include <stdio.h>

int main(void) {
  RTL_OSVERSIONINFOW v;
  memset(&v, 0, sizeof v);
  v.dwOSVersionInfoSize = sizeof v;
  NTSTATUS s = RtlGetVersion(&v);
  printf("%s %lu.%lu build %lu\n", NT_SUCCESS(s) ? "ok" : "failed", (unsigned long)v.dwMajorVersion,
         (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
  return 0;
}
