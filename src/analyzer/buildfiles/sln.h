// Visual Studio solution files and configuration selection.
//
// A .sln lists its projects (`Project("{type}") = "name", "path", "{guid}"`)
// and maps each solution configuration to a project configuration
// (`{guid}.Release|x86.ActiveCfg = Release|Win32`, built only when a
// `.Build.0` line exists). Building the solution in "Release|x86" builds each
// project in its mapped configuration, so that is what we evaluate.
//
// Tested by the sln_* fixtures in tests/buildfiles/fixtures.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "session.h"

namespace nxpool::buildfiles {

struct SlnProject {
  std::string name, path, guid;  // path absolute, resolved on disk
  uint32_t loc = 0;
};

struct Solution {
  std::string path;
  std::vector<SlnProject> projects;           // .vcxproj projects only
  std::vector<std::string> configurations;    // solution configurations, declared order
  // lower-case guid -> lower-case solution config -> (project config, built?)
  std::map<std::string, std::map<std::string, std::pair<std::string, bool>>> mapping;
};

// Reads a .sln; problems are reported through session.diags. nullopt when the
// file cannot be read.
std::optional<Solution> read_solution(Session& session, const std::string& path);

// --config matching: case-insensitive; x86 = Win32, amd64 = x64; fre/chk =
// Release/Debug; a wanted value without '|' matches any platform.
bool config_matches(std::string_view wanted, std::string_view config);
bool config_selected(const std::vector<std::string>& wanted, std::string_view config);

}  // namespace nxpool::buildfiles
