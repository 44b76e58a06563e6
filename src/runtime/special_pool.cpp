// Driver Verifier's special pool (option 0x1) on top of special.h: which
// requests go there, the bug checks for what the pages reveal, and the
// SIGSEGV handler that turns a touch of a guard page or a freed block into
// the bug check Windows would raise.
//
// The handler is installed at the first special-pool allocation and chains
// to whatever handler was there before for every fault outside the special
// pool region (with no previous handler, it restores the default action and
// returns, so the fault repeats and kills the process with SIGSEGV as it
// would have). For a fault inside the region it calls the bug check: the
// default report aborts, so a death test sees SIGABRT and the decoded
// parameters. When an installed bug-check handler returns, the touched page
// is opened for good (its neighbouring slots retire) and the faulting
// access is repeated, now successfully; a test can record the bug check and
// go on. The report is written from the signal handler, which is fine for
// the synchronous fault it is (it never interrupts the runtime itself: the
// runtime never touches another block's page).
//
// Windows distinguishes a fault the system made (0xCC, 0xCD) from one a
// driver made (0xD5, 0xD6). nxpool issues 0xD6 for guard pages and 0xCC for
// freed pages, as issue 13 lists them; docs/verifier.md says so.
//
// Tested by tests/runtime/special_pool_test.cpp and the verifier_env ctests.
#include <signal.h>
#include <ucontext.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "report.h"
#include "special.h"
#include "stats.h"
#include "verifier.h"

namespace nxpool::rt {
namespace {

struct SpecialSettings {
  std::atomic<ULONG> tag{0};                            // 0: every tag
  std::atomic<std::size_t> min_bytes{1};                // smallest request served
  std::atomic<std::size_t> max_bytes{k_special_max_bytes};  // largest request served
  std::atomic<bool> underrun{false};                    // start against the guard before
};

// "min-max" in bytes; false when malformed.
bool parse_range(const char *text, std::size_t *lo, std::size_t *hi) {
  char *end = nullptr;
  const unsigned long long a = std::strtoull(text, &end, 0);
  if (end == text || *end != '-') return false;
  const char *second = end + 1;
  const unsigned long long b = std::strtoull(second, &end, 0);
  if (end == second || *end != '\0' || a > b) return false;
  *lo = a;
  *hi = b;
  return true;
}

SpecialSettings &settings() {
  static SpecialSettings *s = [] {
    auto *st = new SpecialSettings;  // never destroyed: allocations may run at exit
    st->tag = env_tag("NXPOOL_SPECIAL_POOL_TAG");
    if (const char *range = std::getenv("NXPOOL_SPECIAL_POOL_SIZE"); range && *range) {
      std::size_t lo = 0, hi = 0;
      if (parse_range(range, &lo, &hi)) {
        st->min_bytes = lo;
        st->max_bytes = hi;
      } else {
        std::fprintf(stderr,
                     "nxpool: warning: NXPOOL_SPECIAL_POOL_SIZE='%s' is not a range MIN-MAX in "
                     "bytes; using 1-4096\n",
                     range);
      }
    }
    st->underrun = env_number("NXPOOL_SPECIAL_POOL_UNDERRUN", 0) != 0;
    special_set_quarantine(env_number("NXPOOL_SPECIAL_POOL_QUARANTINE", 1024));
    return st;
  }();
  return *s;
}

struct sigaction g_previous {};

// Read or write (P2) and the faulting instruction (P3), where the machine
// context tells them: x86-64's page-fault error code has the write bit.
void fault_context(void *context, ULONG_PTR *write, ULONG_PTR *pc) {
  *write = 0;
  *pc = 0;
#if defined(__x86_64__)
  const auto *uc = static_cast<const ucontext_t *>(context);
  *write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0 ? 1 : 0;
  *pc = static_cast<ULONG_PTR>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  *pc = static_cast<const ucontext_t *>(context)->uc_mcontext.pc;
#else
  (void)context;
#endif
}

void on_fault(int sig, siginfo_t *info, void *context) {
  const void *block = nullptr;
  const SpecialFault what = special_fault_at(info->si_addr, &block);
  if (what != SpecialFault::NotOurs) {
    ULONG_PTR write = 0, pc = 0;
    fault_context(context, &write, &pc);
    bugcheck(what == SpecialFault::Guard ? k_beyond_end_of_allocation : k_freed_special_pool,
             reinterpret_cast<ULONG_PTR>(info->si_addr), write, pc, 0,
             reinterpret_cast<const void *>(pc));
    special_open_page(info->si_addr);  // a handler returned: let the access happen
    return;
  }
  if (g_previous.sa_flags & SA_SIGINFO) {
    g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
  } else {
    signal(sig, SIG_DFL);  // the access repeats and the default action runs
  }
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_previous);
  });
}

}  // namespace

bool special_wanted(ULONG tag, SIZE_T bytes) {
  SpecialSettings &s = settings();
  const ULONG only = s.tag.load(std::memory_order_relaxed);
  return (only == 0 || only == tag) && bytes >= s.min_bytes.load(std::memory_order_relaxed) &&
         bytes <= s.max_bytes.load(std::memory_order_relaxed) && bytes <= k_special_max_bytes;
}

void *special_pool_alloc(Kind kind, SIZE_T bytes, ULONG tag, bool cache_aligned) {
  install_fault_handler();
  void *p = special_alloc(kind, bytes, tag, cache_aligned,
                          settings().underrun.load(std::memory_order_relaxed));
  if (p != nullptr) stats_alloc(tag, kind, bytes);
  return p;
}

void special_pool_free(void *p, ULONG tag, const void *caller) {
  SpecialBlock b{};
  const auto addr = reinterpret_cast<ULONG_PTR>(p);
  switch (special_free(p, tag, &b)) {
    case SpecialFree::Freed:
      stats_free(b.tag, b.kind, b.size);
      return;
    case SpecialFree::WrongTag:
      bugcheck(k_bad_pool_caller, k_bpc_wrong_tag, addr, b.tag, tag, caller);
      return;
    case SpecialFree::FreedBefore:  // on Windows the free touches the freed page
      bugcheck(k_freed_special_pool, addr, 0, reinterpret_cast<ULONG_PTR>(caller), 0, caller);
      return;
    case SpecialFree::NotAllocated:
      bugcheck(k_special_pool_corruption, addr, 0, 0, k_sp_not_allocated, caller);
      return;
    case SpecialFree::BadAddress:
      bugcheck(k_special_pool_corruption, addr, b.size, b.to_page_end, k_sp_bad_address, caller);
      return;
    case SpecialFree::Damaged:
      bugcheck(k_special_pool_corruption, addr, reinterpret_cast<ULONG_PTR>(b.damaged), 0,
               b.damaged >= static_cast<const char *>(b.start) + b.size ? k_sp_after_end_damaged
                                                                       : k_sp_nearby_damaged,
               caller);
      return;
  }
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

extern "C" void nxpool_special_pool_configure(ULONG tag, size_t min_bytes, size_t max_bytes,
                                              int underrun, size_t quarantine) {
  SpecialSettings &s = settings();
  s.tag = tag;
  s.min_bytes = min_bytes;
  s.max_bytes = max_bytes;
  s.underrun = underrun != 0;
  special_set_quarantine(quarantine);
}

extern "C" int nxpool_special_pool_contains(const void *p) {
  SpecialBlock b{};
  return special_find(p, &b) ? 1 : 0;
}
