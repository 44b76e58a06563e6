// Bug checks and raises in user mode: the default report, the handlers, and
// the public KeBugCheckEx / ExRaiseStatus / nxpool_set_*_handler.
//
// The default report decodes the four parameters into words for the codes a
// pool user meets: BAD_POOL_CALLER (0xC2) and Driver Verifier's code-integrity
// violations (0xC4, parameter 1 = 0x2000..0x2005, docs/mechanism.md §8.2), so a test
// log reads "freed with the wrong tag" rather than four hex numbers. The
// report is built in one buffer and written with a single call, so it stays
// whole when several threads die at once.
//
// Tested by tests/runtime/bugcheck_test.cpp (death tests: signal and text).
#include "report.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace nxpool::rt {
namespace {

std::atomic<nxpool_bugcheck_handler> g_bugcheck_handler{nullptr};
std::atomic<nxpool_raise_handler> g_raise_handler{nullptr};

struct Buffer {
  char text[2048];
  std::size_t used = 0;
  void add(const char *fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (used >= sizeof text) return;
    va_list ap;
    va_start(ap, fmt);
    int n = std::vsnprintf(text + used, sizeof text - used, fmt, ap);
    va_end(ap);
    if (n > 0) used = std::min(sizeof text - 1, used + static_cast<std::size_t>(n));
  }
  void flush() {
    std::size_t off = 0;
    while (off < used) {
      ssize_t n = write(STDERR_FILENO, text + off, used - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
  }
};

const char *code_name(ULONG code) {
  switch (code) {
    case 0x19: return "BAD_POOL_HEADER";
    case 0xC1: return "SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION";
    case 0xCC: return "PAGE_FAULT_IN_FREED_SPECIAL_POOL";
    case 0xD6: return "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION";
    case 0xC2: return "BAD_POOL_CALLER";
    case 0xC4: return "DRIVER_VERIFIER_DETECTED_VIOLATION";
    default: return "bug check";
  }
}

void add_tag_param(Buffer &b, const char *what, ULONG_PTR value) {
  char tag[5];
  format_tag(static_cast<ULONG>(value), tag);
  b.add("  %s: 0x%lx '%s'\n", what, static_cast<unsigned long>(value), tag);
}

void add_param(Buffer &b, const char *what, ULONG_PTR value) {
  b.add("  %s: 0x%lx\n", what, static_cast<unsigned long>(value));
}

// Parameter 2..4 of BAD_POOL_CALLER, by parameter 1.
void decode_c2(Buffer &b, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  switch (p1) {
    case 0x00:
      b.add("  P1 0x00: a request for zero bytes\n");
      add_param(b, "P2 (reserved)", p2);
      add_param(b, "P3 pool type", p3);
      add_tag_param(b, "P4 pool tag", p4);
      return;
    case 0x07:
      b.add("  P1 0x07: freeing a block that is not allocated (already freed)\n");
      add_param(b, "P2 (reserved)", p2);
      add_tag_param(b, "P3 tag passed to the free", p3);
      add_param(b, "P4 address of the block", p4);
      return;
    case 0x0A:
      b.add("  P1 0x0A: a block freed with a tag other than the one it was allocated with\n");
      add_param(b, "P2 address of the block", p2);
      add_tag_param(b, "P3 tag the block was allocated with", p3);
      add_tag_param(b, "P4 tag passed to the free", p4);
      return;
    case 0x46:
      b.add("  P1 0x46: freeing an address that is not the start of a pool block\n");
      add_param(b, "P2 address passed to the free", p2);
      add_param(b, "P3 (reserved)", p3);
      add_param(b, "P4 (reserved)", p4);
      return;
    case 0x9A:
      b.add("  P1 0x9A: a must-succeed pool type was requested (not allowed)\n");
      add_param(b, "P2 pool type", p2);
      add_param(b, "P3 bytes requested", p3);
      add_tag_param(b, "P4 pool tag", p4);
      return;
    case 0x9B:
    case 0x9C:
      b.add(p1 == 0x9B ? "  P1 0x9B: an allocation with tag 0 (tags must be non-zero)\n"
                       : "  P1 0x9C: an allocation with the reserved tag \"BIG\"\n");
      add_param(b, "P2 pool type", p2);
      add_param(b, "P3 bytes requested", p3);
      add_param(b, "P4 caller's address", p4);
      return;
    case 0x9D:
      b.add("  P1 0x9D: an allocation whose tag has no letter or digit\n");
      add_tag_param(b, "P2 tag", p2);
      add_param(b, "P3 pool type", p3);
      add_param(b, "P4 caller's address", p4);
      return;
    default:
      b.add("  P1 0x%lx: (not decoded)\n", static_cast<unsigned long>(p1));
      add_param(b, "P2", p2);
      add_param(b, "P3", p3);
      add_param(b, "P4", p4);
  }
}

// Driver Verifier code-integrity checks (docs/mechanism.md §8.2).
void decode_c4(Buffer &b, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  switch (p1) {
    case 0x00:
      b.add("  P1 0x00: a request for zero bytes\n");
      add_param(b, "P2 IRQL", p2);
      add_param(b, "P3 pool type (or POOL_FLAGS)", p3);
      add_param(b, "P4 bytes requested", p4);
      return;
    case 0x62:
      b.add("  P1 0x62: a driver unloaded without freeing its pool allocations\n");
      add_param(b, "P2 driver name (none here)", p2);
      add_param(b, "P3 outstanding bytes", p3);
      add_param(b, "P4 number of outstanding allocations", p4);
      return;
    case 0x10:
      b.add("  P1 0x10: freeing or unmapping an address that no allocation or mapping returned\n");
      add_param(b, "P2 address passed", p2);
      add_param(b, "P3 size passed (unmaps)", p3);
      add_param(b, "P4 size of the mapping there (0: none)", p4);
      return;
    case 0x16:
      b.add("  P1 0x16: a bad address passed to a memory routine (an entry freed to a lookaside "
            "list it did not come from)\n");
      add_param(b, "P2 the lookaside list", p2);
      add_param(b, "P3 the entry", p3);
      add_param(b, "P4 (zero)", p4);
      return;
    case 0x2000:
      b.add("  P1 0x2000: executable pool requested (expected NonPagedPoolNx)\n");
      add_param(b, "P2 code address of the request", p2);
      add_param(b, "P3 pool type", p3);
      add_tag_param(b, "P4 pool tag", p4);
      return;
    case 0x2001:
      b.add("  P1 0x2001: executable page protection requested (expected no PAGE_EXECUTE* bit)\n");
      add_param(b, "P2 code address of the request", p2);
      add_param(b, "P3 page protection", p3);
      add_param(b, "P4 (zero)", p4);
      return;
    case 0x2002:
      b.add("  P1 0x2002: executable MDL mapping requested (expected MdlMappingNoExecute)\n");
      add_param(b, "P2 code address of the request", p2);
      add_param(b, "P3 page priority with MdlMapping* bits", p3);
      add_param(b, "P4 (zero)", p4);
      return;
    case 0x2003:
    case 0x2004:
    case 0x2005:
      b.add(p1 == 0x2003   ? "  P1 0x2003: image has a writable and executable section\n"
            : p1 == 0x2004 ? "  P1 0x2004: image section is not page-aligned\n"
                           : "  P1 0x2005: import address table sits in an executable section\n");
      add_param(b, "P2 image name", p2);
      add_param(b, p1 == 0x2005 ? "P3 import directory" : "P3 section header address", p3);
      add_param(b, "P4 section name", p4);
      return;
    default:
      b.add("  P1 0x%lx: (not decoded)\n", static_cast<unsigned long>(p1));
      add_param(b, "P2", p2);
      add_param(b, "P3", p3);
      add_param(b, "P4", p4);
  }
}

// Special pool: a page fault (0xCC, 0xD6) or damage found at a free (0xC1,
// whose fourth parameter names the case).
void decode_special(Buffer &b, ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3,
                    ULONG_PTR p4) {
  if (code != 0xC1) {
    b.add(code == 0xCC ? "  a freed special-pool block was touched (its page is no-access)\n"
                       : "  an access beyond the allocation hit a special-pool guard page\n");
    add_param(b, "P1 address referenced", p1);
    b.add("  P2 %s: 0x%lx\n", p2 != 0 ? "write" : "read (or not known)",
          static_cast<unsigned long>(p2));
    add_param(b, "P3 code address of the access", p3);
    add_param(b, "P4 (reserved)", p4);
    return;
  }
  switch (p4) {
    case 0x20:
      b.add("  P4 0x20: freeing special pool that holds no allocation\n");
      add_param(b, "P1 address passed to the free", p1);
      return;
    case 0x21:
      b.add("  P4 0x21: freeing an address that is not the start of its special-pool block\n");
      add_param(b, "P1 address passed to the free", p1);
      add_param(b, "P2 bytes requested", p2);
      add_param(b, "P3 bytes from the address to the end of its page", p3);
      return;
    case 0x23:
    case 0x24:
      b.add(p4 == 0x23 ? "  P4 0x23: the fill before the block (same page) was overwritten\n"
                       : "  P4 0x24: bytes after the end of the block were overwritten\n");
      add_param(b, "P1 address passed to the free", p1);
      add_param(b, "P2 first damaged byte", p2);
      return;
    default:
      add_param(b, "P1", p1);
      add_param(b, "P2", p2);
      add_param(b, "P3", p3);
      add_param(b, "P4", p4);
  }
}

// The driver's call site: symbol+offset when the dynamic linker knows the
// symbol, otherwise module+offset (feed that to addr2line -e module).
void add_caller(Buffer &b, const void *caller) {
  Dl_info info{};
  if (caller == nullptr || dladdr(caller, &info) == 0 || info.dli_fname == nullptr) {
    b.add("  caller: %p\n", caller);
  } else if (info.dli_sname != nullptr) {
    auto off = static_cast<const char *>(caller) - static_cast<const char *>(info.dli_saddr);
    b.add("  caller: %p (%s+0x%lx in %s)\n", caller, info.dli_sname, static_cast<long>(off),
          info.dli_fname);
  } else {
    auto off = static_cast<const char *>(caller) - static_cast<const char *>(info.dli_fbase);
    b.add("  caller: %p (%s+0x%lx)\n", caller, info.dli_fname, static_cast<long>(off));
  }
}

const char *status_name(NTSTATUS status) {
  switch (static_cast<ULONG>(status)) {
    case 0xC000009Au: return "STATUS_INSUFFICIENT_RESOURCES";
    case 0xC000000Du: return "STATUS_INVALID_PARAMETER";
    case 0xC0000017u: return "STATUS_NO_MEMORY";
    case 0xC0000044u: return "STATUS_QUOTA_EXCEEDED";
    case 0xC0000005u: return "STATUS_ACCESS_VIOLATION";
    default: return "status";
  }
}

}  // namespace

void format_tag(ULONG tag, char out[5]) {
  for (int i = 0; i < 4; ++i) {
    auto c = static_cast<unsigned char>((tag >> (8 * i)) & 0xFF);
    out[i] = (c >= 0x20 && c <= 0x7E) ? static_cast<char>(c) : '.';
  }
  out[4] = '\0';
}

void bugcheck(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4,
              const void *caller) {
  if (nxpool_bugcheck_handler h = g_bugcheck_handler.load(std::memory_order_acquire)) {
    h(code, p1, p2, p3, p4);
    return;
  }
  Buffer b;
  b.add("*** nxpool: KeBugCheckEx 0x%08X %s\n", static_cast<unsigned>(code), code_name(code));
  if (code == 0xC2) {
    decode_c2(b, p1, p2, p3, p4);
  } else if (code == 0xC4) {
    decode_c4(b, p1, p2, p3, p4);
  } else if (code == 0xC1 || code == 0xCC || code == 0xD6) {
    decode_special(b, code, p1, p2, p3, p4);
  } else if (code == 0x19 && p1 == 0x3) {
    b.add("  P1 0x03: a pool free list is damaged (a freed block was written to)\n");
    add_param(b, "P2 the free block", p2);
    add_param(b, "P3 its first word (encoded link)", p3);
    add_param(b, "P4 its second word (encoded entry)", p4);
  } else {
    add_param(b, "P1", p1);
    add_param(b, "P2", p2);
    add_param(b, "P3", p3);
    add_param(b, "P4", p4);
  }
  add_caller(b, caller);
  b.add("  (no bug-check handler installed: aborting; see nxpool_set_bugcheck_handler)\n");
  b.flush();
  std::abort();
}

void raise_status(NTSTATUS status, const void *caller) {
  if (nxpool_raise_handler h = g_raise_handler.load(std::memory_order_acquire)) {
    h(status);
    return;
  }
  Buffer b;
  b.add("*** nxpool: ExRaiseStatus 0x%08X %s\n", static_cast<unsigned>(status), status_name(status));
  add_caller(b, caller);
  b.add("  (no raise handler installed: aborting; see nxpool_set_raise_handler)\n");
  b.flush();
  std::abort();
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

extern "C" {

VOID NTAPI KeBugCheckEx(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
  bugcheck(code, p1, p2, p3, p4, __builtin_return_address(0));
}

VOID NTAPI ExRaiseStatus(NTSTATUS status) {
  raise_status(status, __builtin_return_address(0));
}

nxpool_bugcheck_handler nxpool_set_bugcheck_handler(nxpool_bugcheck_handler handler) {
  return g_bugcheck_handler.exchange(handler, std::memory_order_acq_rel);
}

nxpool_raise_handler nxpool_set_raise_handler(nxpool_raise_handler handler) {
  return g_raise_handler.exchange(handler, std::memory_order_acq_rel);
}

}  // extern "C"
