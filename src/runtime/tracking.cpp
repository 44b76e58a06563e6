// Pool tracking (Driver Verifier option 0x8): what a driver still holds.
//
// While the option is on, every successful pool allocation is recorded with
// its tag, requested size, pool kind and the driver's return address, and
// every free removes its record (a free of a block allocated before the
// option went on finds none and is fine). The records live in a hash map
// outside the pool, under one lock that is also held under the fork gate.
// The cost is paid only with the option on: the API layer reaches here from
// its slow path, and frees test the flag word first.
//
// nxpool_verify_unload() is a driver's unload to Verifier: allocations
// outstanding are printed and become bug check 0xC4/0x62 with their number
// in P4.
//
// Tested by tests/runtime/tracking_test.cpp.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "arena.h"
#include "fork_gate.h"
#include "report.h"
#include "verifier.h"

namespace nxpool::rt {
namespace {

struct Record {
  SIZE_T bytes;
  ULONG tag;
  Kind kind;
  const void *caller;
};

struct Tracker {
  std::mutex lock;
  std::unordered_map<const void *, Record> live;
};

Tracker &tracker() {
  static auto *t = new Tracker;  // never destroyed: frees may run at exit
  return *t;
}

const char *kind_name(Kind k) {
  switch (k) {
    case Kind::Nx: return "nx";
    case Kind::Exec: return "exec";
    default: return "paged";
  }
}

std::vector<std::pair<const void *, Record>> outstanding() {
  ForkGuard gate;
  Tracker &t = tracker();
  std::lock_guard<std::mutex> hold(t.lock);
  return {t.live.begin(), t.live.end()};
}

void print(FILE *out, const std::vector<std::pair<const void *, Record>> &rows) {
  SIZE_T total = 0;
  for (const auto &row : rows) total += row.second.bytes;
  std::fprintf(out, "nxpool: %zu pool allocation%s outstanding, %zu bytes:\n", rows.size(),
               rows.size() == 1 ? "" : "s", static_cast<std::size_t>(total));
  for (const auto &[p, r] : rows) {
    char tag[5];
    format_tag(r.tag, tag);
    std::fprintf(out, "  '%s' %zu bytes %s at %p, allocated by ", tag,
                 static_cast<std::size_t>(r.bytes), kind_name(r.kind), p);
    Dl_info info{};
    if (r.caller != nullptr && dladdr(r.caller, &info) != 0 && info.dli_sname != nullptr) {
      std::fprintf(out, "%s+0x%lx\n", info.dli_sname,
                   static_cast<long>(static_cast<const char *>(r.caller) -
                                     static_cast<const char *>(info.dli_saddr)));
    } else if (r.caller != nullptr && info.dli_fname != nullptr) {
      std::fprintf(out, "%s+0x%lx\n", info.dli_fname,
                   static_cast<long>(static_cast<const char *>(r.caller) -
                                     static_cast<const char *>(info.dli_fbase)));
    } else {
      std::fprintf(out, "%p\n", r.caller);
    }
  }
}

void report_at_exit() { nxpool_report_leaks(stderr); }

const bool g_exit_report = [] {
  const char *v = std::getenv("NXPOOL_REPORT_LEAKS");
  if (v != nullptr && *v != '\0' && *v != '0') std::atexit(report_at_exit);
  return true;
}();

}  // namespace

void track_alloc(const void *p, SIZE_T bytes, ULONG tag, Kind kind, const void *caller) {
  ForkGuard gate;
  Tracker &t = tracker();
  std::lock_guard<std::mutex> hold(t.lock);
  t.live[p] = Record{bytes, tag, kind, caller};
}

void track_free(const void *p) {
  ForkGuard gate;
  Tracker &t = tracker();
  std::lock_guard<std::mutex> hold(t.lock);
  t.live.erase(p);
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

extern "C" size_t nxpool_report_leaks(FILE *out) {
  auto rows = outstanding();
  if (!rows.empty()) print(out, rows);
  return rows.size();
}

extern "C" size_t nxpool_verify_unload(void) {
  auto rows = outstanding();
  if (rows.empty()) return 0;
  print(stderr, rows);
  SIZE_T total = 0;
  for (const auto &row : rows) total += row.second.bytes;
  bugcheck(k_driver_verifier_violation, k_dv_unload_with_allocations, 0, total, rows.size(),
           __builtin_return_address(0));
  return rows.size();
}
