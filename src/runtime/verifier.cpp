// Driver-Verifier-style checks: the flag word, its start-up value, the
// automatic checks and the low resources simulation.
//
// NXPOOL_VERIFIER is read once, before main, like NXPOOL_OS_VERSION: a
// number as `verifier /flags` takes it (0x02000000), or a comma list of
// words. Anything malformed warns and leaves the checks off: a bad setting
// must not change what the program under test does. Bits this runtime does
// not implement warn and are dropped, so a flag word never claims a check
// that does not run.
//
// The fault generator is a pure function of (seed, allocation number), so a
// run is reproducible from its seed; the number is one shared atomic, taken
// only while the option is on.
//
// Tested by tests/runtime/verifier_test.cpp, verifier_flags_test.cpp and the
// verifier_env ctests.
#include "verifier.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "report.h"

namespace nxpool::rt {
namespace {

struct Word {
  const char *name;
  ULONG bit;
};
constexpr Word k_words[] = {{"special-pool", NXPOOL_VERIFIER_SPECIAL_POOL},
                            {"low-resources", NXPOOL_VERIFIER_LOW_RESOURCES},
                            {"pool-tracking", NXPOOL_VERIFIER_POOL_TRACKING},
                            {"code-integrity", NXPOOL_VERIFIER_CODE_INTEGRITY},
                            {"none", 0}};

bool parse_words(const char *text, ULONG *out) {
  ULONG flags = 0;
  const char *p = text;
  for (;;) {
    const char *end = std::strchr(p, ',');
    const std::size_t n = end ? static_cast<std::size_t>(end - p) : std::strlen(p);
    bool known = false;
    for (const Word &w : k_words) {
      if (std::strlen(w.name) == n && std::strncmp(w.name, p, n) == 0) {
        flags |= w.bit;
        known = true;
      }
    }
    if (!known) return false;
    if (end == nullptr) break;
    p = end + 1;
  }
  *out = flags;
  return true;
}

ULONG keep_implemented(ULONG flags, const char *source) {
  if (ULONG extra = flags & ~k_verifier_implemented; extra != 0) {
    std::fprintf(stderr,
                 "nxpool: warning: %s: verifier option bits 0x%lx are not implemented by "
                 "libnxpool and are ignored\n",
                 source, static_cast<unsigned long>(extra));
  }
  return flags & k_verifier_implemented;
}

ULONG flags_from_environment() {
  const char *text = std::getenv("NXPOOL_VERIFIER");
  if (text == nullptr || *text == '\0') return 0;
  ULONG flags = 0;
  if (parse_words(text, &flags)) return keep_implemented(flags, "NXPOOL_VERIFIER");
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text, &end, 0);
  if (end != text && *end == '\0' && text[0] != '-') {
    if (errno == ERANGE || value > 0xFFFFFFFFull) {
      std::fprintf(stderr,
                   "nxpool: warning: NXPOOL_VERIFIER='%s' overflows the 32-bit flag word; "
                   "verifier checks stay off\n",
                   text);
      return 0;
    }
    return keep_implemented(static_cast<ULONG>(value), "NXPOOL_VERIFIER");
  }
  std::fprintf(stderr,
               "nxpool: warning: NXPOOL_VERIFIER='%s' is neither a flag number (0x02000000) nor "
               "a list of special-pool,low-resources,pool-tracking,code-integrity; verifier "
               "checks stay off\n",
               text);
  return 0;
}

// ---- low resources simulation ----

struct FaultSettings {
  std::atomic<ULONG> rate_per_million{50000};
  std::atomic<std::uint64_t> warmup{16};
  std::atomic<std::uint64_t> seed{0x6E78706F6F6Cull};
  std::atomic<ULONG> tag{0};
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> injected{0};
};

FaultSettings &faults() {
  static FaultSettings *s = [] {
    auto *f = new FaultSettings;  // never destroyed: allocations may run at exit
    if (const char *rate = std::getenv("NXPOOL_FAULT_RATE"); rate && *rate) {
      char *end = nullptr;
      double percent = std::strtod(rate, &end);
      if (end != rate && (*end == '\0' || (*end == '%' && end[1] == '\0')) && percent >= 0 &&
          percent <= 100) {
        f->rate_per_million = static_cast<ULONG>(percent * 10000.0 + 0.5);
      } else {
        std::fprintf(stderr,
                     "nxpool: warning: NXPOOL_FAULT_RATE='%s' is not a percentage 0..100; "
                     "using 5\n",
                     rate);
      }
    }
    f->warmup = env_number("NXPOOL_FAULT_WARMUP", f->warmup);
    f->seed = env_number("NXPOOL_FAULT_SEED", f->seed);
    f->tag = env_tag("NXPOOL_FAULT_TAG");
    return f;
  }();
  return *s;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

bool has_letter_or_digit(ULONG tag) {
  for (int i = 0; i < 4; ++i) {
    const unsigned c = (tag >> (8 * i)) & 0xFF;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  }
  return false;
}

constexpr ULONG k_tag_big = 0x20474942;  // "BIG " in memory: the kernel's big-page tag

}  // namespace

std::atomic<ULONG> g_verifier_flags{flags_from_environment()};

std::uint64_t env_number(const char *name, std::uint64_t fallback) {
  const char *text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char *end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 0);
  if (end == text || *end != '\0') {
    std::fprintf(stderr, "nxpool: warning: %s='%s' is not a number; using %llu\n", name, text,
                 static_cast<unsigned long long>(fallback));
    return fallback;
  }
  return v;
}

ULONG env_tag(const char *name) {
  const char *text = std::getenv(name);
  ULONG t = 0;
  for (int i = 0; text != nullptr && i < 4 && text[i] != '\0'; ++i) {
    t |= static_cast<ULONG>(static_cast<unsigned char>(text[i])) << (8 * i);
  }
  return t;  // memory order, as poolmon shows tags: "Tag1"
}

bool verify_request(ULONG type_or_flags, SIZE_T bytes, ULONG tag, const void *caller) {
  const auto where = reinterpret_cast<ULONG_PTR>(caller);
  if (bytes == 0) {
    bugcheck(k_driver_verifier_violation, k_dv_zero_bytes, 0, type_or_flags, 0, caller);
    return false;
  }
  if (tag == k_tag_big) {
    bugcheck(k_bad_pool_caller, k_bpc_reserved_tag, type_or_flags, bytes, where, caller);
    return false;
  }
  if (tag != 0 && !has_letter_or_digit(tag)) {
    bugcheck(k_bad_pool_caller, k_bpc_tag_not_alphanumeric, tag, type_or_flags, where, caller);
    return false;
  }
  return true;
}

bool inject_failure(ULONG tag) {
  FaultSettings &f = faults();
  const ULONG only = f.tag.load(std::memory_order_relaxed);
  if (only != 0 && only != tag) return false;
  const std::uint64_t n = f.count.fetch_add(1, std::memory_order_relaxed);
  if (n < f.warmup.load(std::memory_order_relaxed)) return false;
  const std::uint64_t roll = mix(f.seed.load(std::memory_order_relaxed) ^ mix(n)) % 1000000;
  if (roll >= f.rate_per_million.load(std::memory_order_relaxed)) return false;
  f.injected.fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

extern "C" ULONG nxpool_set_verifier_flags(ULONG flags) {
  return g_verifier_flags.exchange(keep_implemented(flags, "nxpool_set_verifier_flags"),
                                   std::memory_order_relaxed);
}

extern "C" void nxpool_set_low_resources(ULONG rate_per_million, uint64_t warmup, uint64_t seed,
                                         ULONG tag) {
  FaultSettings &f = faults();
  f.rate_per_million = rate_per_million > 1000000 ? 1000000 : rate_per_million;
  f.warmup = warmup;
  f.seed = seed;
  f.tag = tag;
  f.count = 0;
}

extern "C" uint64_t nxpool_injected_failures(void) {
  return faults().injected.load(std::memory_order_relaxed);
}
