// Tested by tests/analyzer/cases/latch_*.c.
#include "pp/kernel_headers.h"

#include <cctype>

namespace nxpool::pp {
namespace {

// wdm.h itself; ntddk.h and ntifs.h include it; fltKernel.h includes
// ntifs.h; ndis.h, wdf.h (KMDF), portcls.h, ks.h in kernel mode, and the
// private ntosp.h all pull in wdm.h before any driver code can use a pool
// type. Lowercase.
constexpr std::string_view kKernelHeaders[] = {
    "wdm.h", "ntddk.h", "ntifs.h", "fltkernel.h", "ndis.h", "wdf.h", "portcls.h", "ntosp.h", "ntosifs.h",
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
