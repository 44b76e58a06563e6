// Windows target versions (issue 9 item 3): the NTDDI_* and _WIN32_WINNT_*
// values sdkddkver.h defines, predefined for every kernel-mode unit so that
// `#if NTDDI_VERSION >= NTDDI_WIN8` is decided wherever the unit's build
// says which Windows it targets, and stays unknown (both arms) where it
// does not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nxpool::scan {

// "#define NAME VALUE" lines for the constants, one per entry.
const std::vector<std::string>& version_constant_lines();

// "#define NTDDI_VERSION …", "_WIN32_WINNT" and "WINVER" lines for a target
// (0 = unknown: no lines).
std::vector<std::string> target_version_lines(std::uint32_t ntddi);

}  // namespace nxpool::scan
