// The values are those of sdkddkver.h in the Windows 11 22H2 kit
// (10.0.22621), whose newest Windows 10/11 level is NTDDI_WIN10_NI; they
// are facts of the Windows API (each NTDDI value is the _WIN32_WINNT value
// shifted left 16 bits, plus service pack and sub-version bytes).
// Tested by tests/analyzer/cases/trap_ntddi_* and tests/cli/precision_test.cpp.
#include "scan/target_version.h"

#include <cstdio>

namespace nxpool::scan {
namespace {

struct Named {
  const char* name;
  std::uint32_t value;
};

constexpr Named kWinnt[] = {
    {"_WIN32_WINNT_NT4", 0x0400},      {"_WIN32_WINNT_WIN2K", 0x0500}, {"_WIN32_WINNT_WINXP", 0x0501},
    {"_WIN32_WINNT_WS03", 0x0502},     {"_WIN32_WINNT_WIN6", 0x0600},  {"_WIN32_WINNT_VISTA", 0x0600},
    {"_WIN32_WINNT_WS08", 0x0600},     {"_WIN32_WINNT_LONGHORN", 0x0600}, {"_WIN32_WINNT_WIN7", 0x0601},
    {"_WIN32_WINNT_WIN8", 0x0602},     {"_WIN32_WINNT_WINBLUE", 0x0603}, {"_WIN32_WINNT_WINTHRESHOLD", 0x0A00},
    {"_WIN32_WINNT_WIN10", 0x0A00},
};

constexpr Named kNtddi[] = {
    {"NTDDI_WIN2K", 0x05000000},        {"NTDDI_WIN2KSP1", 0x05000100},     {"NTDDI_WIN2KSP2", 0x05000200},
    {"NTDDI_WIN2KSP3", 0x05000300},     {"NTDDI_WIN2KSP4", 0x05000400},     {"NTDDI_WINXP", 0x05010000},
    {"NTDDI_WINXPSP1", 0x05010100},     {"NTDDI_WINXPSP2", 0x05010200},     {"NTDDI_WINXPSP3", 0x05010300},
    {"NTDDI_WINXPSP4", 0x05010400},     {"NTDDI_WS03", 0x05020000},         {"NTDDI_WS03SP1", 0x05020100},
    {"NTDDI_WS03SP2", 0x05020200},      {"NTDDI_WS03SP3", 0x05020300},      {"NTDDI_WS03SP4", 0x05020400},
    {"NTDDI_WIN6", 0x06000000},         {"NTDDI_WIN6SP1", 0x06000100},      {"NTDDI_WIN6SP2", 0x06000200},
    {"NTDDI_WIN6SP3", 0x06000300},      {"NTDDI_WIN6SP4", 0x06000400},      {"NTDDI_VISTA", 0x06000000},
    {"NTDDI_VISTASP1", 0x06000100},     {"NTDDI_VISTASP2", 0x06000200},     {"NTDDI_VISTASP3", 0x06000300},
    {"NTDDI_VISTASP4", 0x06000400},     {"NTDDI_LONGHORN", 0x06000000},     {"NTDDI_WS08", 0x06000100},
    {"NTDDI_WS08SP2", 0x06000200},      {"NTDDI_WS08SP3", 0x06000300},      {"NTDDI_WS08SP4", 0x06000400},
    {"NTDDI_WIN7", 0x06010000},         {"NTDDI_WIN8", 0x06020000},         {"NTDDI_WINBLUE", 0x06030000},
    {"NTDDI_WINTHRESHOLD", 0x0A000000}, {"NTDDI_WIN10", 0x0A000000},        {"NTDDI_WIN10_TH2", 0x0A000001},
    {"NTDDI_WIN10_RS1", 0x0A000002},    {"NTDDI_WIN10_RS2", 0x0A000003},    {"NTDDI_WIN10_RS3", 0x0A000004},
    {"NTDDI_WIN10_RS4", 0x0A000005},    {"NTDDI_WIN10_RS5", 0x0A000006},    {"NTDDI_WIN10_19H1", 0x0A000007},
    {"NTDDI_WIN10_VB", 0x0A000008},     {"NTDDI_WIN10_MN", 0x0A000009},     {"NTDDI_WIN10_FE", 0x0A00000A},
    {"NTDDI_WIN10_CO", 0x0A00000B},     {"NTDDI_WIN10_NI", 0x0A00000C},
};

std::string hex_define(const char* name, std::uint32_t v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "#define %s 0x%08X", name, v);
  return buf;
}

}  // namespace

const std::vector<std::string>& version_constant_lines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> l;
    for (const Named& n : kWinnt) l.push_back(hex_define(n.name, n.value));
    for (const Named& n : kNtddi) l.push_back(hex_define(n.name, n.value));
    l.push_back("#define OSVERSION_MASK 0xFFFF0000");
    l.push_back("#define SPVERSION_MASK 0x0000FF00");
    l.push_back("#define SUBVERSION_MASK 0x000000FF");
    l.push_back("#define OSVER(Version) ((Version) & OSVERSION_MASK)");
    l.push_back("#define SPVER(Version) (((Version) & SPVERSION_MASK) >> 8)");
    l.push_back("#define SUBVER(Version) (((Version) & SUBVERSION_MASK))");
    return l;
  }();
  return lines;
}

std::vector<std::string> target_version_lines(std::uint32_t ntddi) {
  if (ntddi == 0) return {};
  return {hex_define("NTDDI_VERSION", ntddi), hex_define("_WIN32_WINNT", ntddi >> 16),
          hex_define("WINVER", ntddi >> 16)};
}

}  // namespace nxpool::scan
