// A .vcxproj with two configurations (Debug|x64, Release|x64) and no opt-in:
// every executable site is a finding in both.
#pragma once

#include <string>

namespace nxpool::clitest {

inline const char* kTwoConfigProject =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
    "  <ItemGroup Label=\"ProjectConfigurations\">\n"
    "    <ProjectConfiguration Include=\"Debug|x64\"><Configuration>Debug</Configuration><Platform>x64</Platform>"
    "</ProjectConfiguration>\n"
    "    <ProjectConfiguration Include=\"Release|x64\"><Configuration>Release</Configuration><Platform>x64</Platform>"
    "</ProjectConfiguration>\n"
    "  </ItemGroup>\n"
    "  <PropertyGroup><ConfigurationType>Driver</ConfigurationType>"
    "<PlatformToolset>WindowsKernelModeDriver10.0</PlatformToolset><TargetName>twocfg</TargetName></PropertyGroup>\n"
    "  <ItemGroup><ClCompile Include=\"drv.c\" /></ItemGroup>\n"
    "</Project>\n";

}  // namespace nxpool::clitest
