// Tested by tests/cli/precision_test.cpp (Precision.TargetVersionDecidesNtddiArms).
#include "target_version.h"

#include <cctype>
#include <cstdlib>
#include <string>

#include "text_util.h"

namespace nxpool::buildfiles {

std::uint32_t ntddi_for_target_version(std::string_view tv) {
  tv = trim(tv);
  if (iequals(tv, "Windows10")) return 0x0A00000C;
  if (iequals(tv, "WindowsV6.3") || iequals(tv, "WindowsV6_3")) return 0x06030000;
  if (iequals(tv, "Windows8") || iequals(tv, "Win8")) return 0x06020000;
  if (iequals(tv, "Windows7") || iequals(tv, "Win7")) return 0x06010000;
  if (iequals(tv, "Vista")) return 0x06000000;
  return 0;
}

std::uint32_t ntddi_for_nt_target_version(std::string_view raw) {
  raw = trim(raw);
  struct N {
    const char* suffix;
    std::uint32_t ntddi;
  };
  static const N kNames[] = {{"WINXP", 0x05010000}, {"WS03", 0x05020000}, {"VISTA", 0x06000000},
                             {"LONGHORN", 0x06000000}, {"WIN7", 0x06010000}, {"WIN8", 0x06020000},
                             {"WINBLUE", 0x06030000}, {"WIN10", 0x0A000000}};
  std::string up;
  for (char c : raw) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const N& n : kNames)
    if (up == std::string("$(_NT_TARGET_VERSION_") + n.suffix + ")") return n.ntddi;
  char* end = nullptr;
  std::string s(raw);
  unsigned long v = std::strtoul(s.c_str(), &end, 0);
  if (s.empty() || *end != '\0' || v == 0 || v > 0xFFFF) return 0;
  return static_cast<std::uint32_t>(v << 16);
}

}  // namespace nxpool::buildfiles
