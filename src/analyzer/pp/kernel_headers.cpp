// Tested by tests/analyzer/cases/mode_*_latch.c and tests/analyzer/scanner_test.cpp
// (KernelHeaderListReachesWdm).
#include "pp/kernel_headers.h"

#include <cctype>

namespace nxpool::pp {
namespace {

// Every WDK header that reaches wdm.h (issue 9 item 7), so the mode latches
// there before any driver code can use a pool type. The list is the
// transitive closure of #include over the km/ headers of the Windows 11
// 22H2 kit (10.0.22621): wdm.h itself; ntddk.h and ntifs.h include it;
// fltKernel.h includes ntifs.h; and dsm.h, fwpsk.h, kusbfn.h,
// kusbfnclasslib.h, ndis.h, netadaptercx.h, ntdddump.h, nthalext.h,
// oprghdlr.h, portcls.h, punknown.h, unknown.h, stdunk.h, rx.h, rxprocs.h,
// strmini.h, ufxbase.h and ufxclient.h reach one of those. Kept from before
// (headers of other kits and the private ones): wdf.h (KMDF), ntosp.h,
// ntosifs.h. Lowercase, sorted.
constexpr std::string_view kKernelHeaders[] = {
    "dsm.h",     "fltkernel.h", "fwpsk.h",    "kusbfn.h",  "kusbfnclasslib.h", "ndis.h",    "netadaptercx.h",
    "ntdddump.h", "ntddk.h",    "nthalext.h", "ntifs.h",   "ntosifs.h",        "ntosp.h",   "oprghdlr.h",
    "portcls.h", "punknown.h",  "rx.h",       "rxprocs.h", "stdunk.h",         "strmini.h", "ufxbase.h",
    "ufxclient.h", "unknown.h", "wdf.h",      "wdm.h",
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

}  // namespace

bool is_kernel_header(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  for (std::string_view k : kKernelHeaders)
    if (iequals(name, k)) return true;
  return false;
}

}  // namespace nxpool::pp
