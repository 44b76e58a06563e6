// Driver-Verifier-style checks: the flag word and its start-up value.
//
// NXPOOL_VERIFIER is read once, before main, like NXPOOL_OS_VERSION: a
// number as `verifier /flags` takes it (0x02000000), or the words
// "code-integrity" / "none". Anything else warns and leaves the checks off:
// a bad setting must not change what the program under test does.
//
// Tested by tests/runtime/verifier_test.cpp and the verifier_env ctest.
#include "verifier.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nxpool::rt {
namespace {

ULONG flags_from_environment() {
  const char *text = std::getenv("NXPOOL_VERIFIER");
  if (text == nullptr || *text == '\0') return 0;
  if (std::strcmp(text, "code-integrity") == 0) return NXPOOL_VERIFIER_CODE_INTEGRITY;
  if (std::strcmp(text, "none") == 0) return 0;
  char *end = nullptr;
  unsigned long value = std::strtoul(text, &end, 0);
  if (end != text && *end == '\0') return static_cast<ULONG>(value);
  std::fprintf(stderr,
               "nxpool: warning: NXPOOL_VERIFIER='%s' is neither a flag number (0x02000000) nor "
               "'code-integrity'; verifier checks stay off\n",
               text);
  return 0;
}

}  // namespace

std::atomic<ULONG> g_verifier_flags{flags_from_environment()};

}  // namespace nxpool::rt

extern "C" ULONG nxpool_set_verifier_flags(ULONG flags) {
  return nxpool::rt::g_verifier_flags.exchange(flags, std::memory_order_relaxed);
}
