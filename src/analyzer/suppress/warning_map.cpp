// The table behind `#pragma warning/prefast(suppress: 300xx)`. Each row
// says which nxpool rules report what the Code Analysis warning reports;
// a suppression of the warning suppresses exactly those rules there.
#include "suppress/warning_map.h"

namespace nxpool::suppress {
namespace {

constexpr std::string_view k30029[] = {"NX2003"};
constexpr std::string_view k30030[] = {"NX2001", "NX2002", "NX2004", "NX2005"};
constexpr std::string_view k30031[] = {"NX1101", "NX1104"};
constexpr std::string_view k30032[] = {"NX2001", "NX2003", "NX2004", "NX2005"};
constexpr std::string_view k30033[] = {"NX1101"};
constexpr std::string_view k30034[] = {"NX2005"};
constexpr std::string_view k30035[] = {"NX1102", "NX1104"};
constexpr std::string_view k28751[] = {"NX3004"};

constexpr WarningMapping kMap[] = {
    {30029, k30029, false, "a call that can only give executable memory"},
    {30030, k30030, false, "a parameter that makes memory executable (pool type, MDL priority, lookaside flags, "
                           "PAGE_EXECUTE*)"},
    {30031, k30031, false, "POOL_NX_OPTIN without ExInitializeDriverRuntime(DrvRtPoolNxOptIn) directly in the "
                           "init function"},
    {30032, k30032, true, "an allocation or mapping in a file that defines POOL_NX_OPTOUT"},
    {30033, k30033, false, "an executable allocation in an OPTIN image without its own runtime initialisation"},
    {30034, k30034, false, "flags to an allocating function that may give executable pool"},
    {30035, k30035, false, "ExInitializeDriverRuntime where it may not run in the init function"},
    // Deprecated ExAllocatePool* calls: NX3004 (off by default). The pool
    // type such a call passes stays NX2001's business, which C28751 does not hide.
    {28751, k28751, false, "a deprecated ExAllocatePool* call"},
};

}  // namespace

std::span<const WarningMapping> warning_mappings() { return kMap; }

const WarningMapping* find_warning(int warning) {
  for (const WarningMapping& m : kMap)
    if (m.warning == warning) return &m;
  return nullptr;
}

std::vector<std::string> warnings_for_rule(std::string_view rule) {
  std::vector<std::string> out;
  for (const WarningMapping& m : kMap)
    for (std::string_view r : m.rules)
      if (r == rule) out.push_back("C" + std::to_string(m.warning) + (m.optout_only ? " (opted-out files)" : ""));
  return out;
}

}  // namespace nxpool::suppress
