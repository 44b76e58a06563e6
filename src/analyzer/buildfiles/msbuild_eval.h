// Evaluation of one MSBuild project for one set of global properties
// (Configuration, Platform, SolutionDir…), following MSBuild's own passes:
//
//   1. properties and imports, in document order, imports inlined where they
//      stand (each with its own $(MSBuildThisFile*)); Choose/When picks its
//      branch here;
//   2. ItemDefinitionGroups, in order, with the final property values:
//      ClCompile metadata defaults, where %(Name) is the value so far;
//   3. ItemGroups: ClCompile (Include lists, wildcards, Remove, Update and
//      per-item metadata over the defaults), ProjectReference and
//      ProjectConfiguration.
//
// Only what decides C compilation is kept. The Visual C++ and WDK toolset
// files ($(VCTargetsPath)… and friends) are not on this machine: imports that
// go through them are skipped without a word, except that the two hooks they
// contain are emulated — Directory.Build.props (found upward from the
// project, case-insensitively) is imported where Microsoft.Cpp.Default.props
// is, and Directory.Build.targets where Microsoft.Cpp.targets is (at the start
// and end of the project when it imports neither). $(ProjectDir),
// $(ProjectName) and the other project macros the toolset would define are
// predefined. Environment variables are not properties here (a Linux
// environment says nothing about a Windows build), except $(OS)=Windows_NT.
//
// Errors: a project file that cannot be parsed yields loaded == false. A
// missing or malformed import, or an import path with an undefined property,
// is an error and the project is evaluated without that import (degraded).
//
// Tested by the msbuild_* fixtures in tests/buildfiles/fixtures.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "msbuild_expand.h"
#include "session.h"

namespace nxpool::buildfiles {

struct ClCompileItem {
  std::string include;  // as written after expansion
  std::string path;     // absolute, resolved on disk
  MetadataMap metadata;
  uint32_t loc = 0;     // the <ClCompile> element
};

struct ProjectConfig {
  std::string configuration, platform;
  std::string name() const { return configuration + "|" + platform; }
};

struct EvaluatedProject {
  std::string path;
  bool loaded = false;  // false: the project file itself could not be parsed
  PropertyTable props;
  MetadataMap clcompile_defaults;
  std::vector<ClCompileItem> items;
  std::vector<std::pair<std::string, uint32_t>> project_references;  // path, element
  std::vector<ProjectConfig> configurations;
  bool solution_dir_used = false;
};

using GlobalProperties = std::vector<std::pair<std::string, std::string>>;

EvaluatedProject evaluate_project(Session& session, const std::string& path,
                                  const GlobalProperties& globals);

}  // namespace nxpool::buildfiles
