// A bug-check handler for tests that check the parameters in process: it
// records the last bug check and counts them, and returns, so the runtime
// takes its "handler returned" path (docs/verifier.md).
#pragma once

#include <nxpool/wdm.h>

namespace nxpool_test {

struct Seen {
  int count = 0;
  ULONG code = 0;
  ULONG_PTR p1 = 0, p2 = 0, p3 = 0, p4 = 0;
};

inline Seen g_seen;

inline void record(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  g_seen = {g_seen.count + 1, code, p1, p2, p3, p4};
}

}  // namespace nxpool_test
