// A build's Windows target as an NTDDI_VERSION value (issue 9 item 3), for
// model::CompileUnit::ntddi_version. 0 = not known.
#pragma once

#include <cstdint>
#include <string_view>

namespace nxpool::buildfiles {

// MSBuild <TargetVersion>: Windows10, Windows8, WindowsV6.3, Windows7, Vista
// (and the older Win7/Win8 spellings). Windows10 is the newest level of the
// 22621 kit (NTDDI_WIN10_NI), which is what the WDK compiles it as.
std::uint32_t ntddi_for_target_version(std::string_view target_version);

// WDK `sources` _NT_TARGET_VERSION: a number (0x601) or the name of the
// build environment's macro ($(_NT_TARGET_VERSION_WIN7)).
std::uint32_t ntddi_for_nt_target_version(std::string_view raw);

}  // namespace nxpool::buildfiles
