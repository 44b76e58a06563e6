// From evaluated MSBuild projects to images and compile units.
//
// Each selected configuration of a project is one evaluation (msbuild_eval.h)
// and gives one model::Image (ConfigurationType -> kind; named after the
// project file) and one CompileUnit per ClCompile item not excluded from the
// build. A unit's definitions are PreprocessorDefinitions, then
// UndefinePreprocessorDefinitions, then /D, /U (and /I, /FI, /kernel) found
// in AdditionalOptions — the order cl.exe receives them — each with
// the origin of the element — or property — that wrote its name.
// ResourceCompile, Midl and WppPreprocessorDefinitions are different item
// types or metadata and are never read as C definitions.
//
// Configurations: those a .sln maps the selected solution configurations to;
// otherwise those the project declares (ProjectConfiguration items), filtered
// by --config. The declared list comes from a first evaluation without
// Configuration/Platform whose diagnostics are dropped (the real evaluations
// report the same problems with the right values).
//
// $(SolutionDir): from the .sln being read; else --solution-dir; else the
// nearest .sln above the project that lists it; else the project directory.
// The last two are guesses, and a note says so when the project uses it.
//
// ProjectReference: the referenced project is read in the same configuration
// (its units join the model once), and a static library is added to the
// referencing image's links.
//
// Tested by the msbuild_* and sln_* fixtures in tests/buildfiles/fixtures.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "build.h"
#include "msbuild_eval.h"
#include "sln.h"

namespace nxpool::buildfiles {

class MsbuildReader {
 public:
  MsbuildReader(Session& session, const ReadOptions& options, model::BuildModel& out)
      : s_(session), options_(options), out_(out) {}

  // Image names that collide are told apart by the project path relative to this.
  void set_root(std::string dir) { root_ = std::move(dir); }
  void read_solution(const std::string& sln_path);
  // `sln` may be null (a project read on its own).
  void read_project(const std::string& path, const Solution* sln);
  // Projects already read through a solution or directly (not those only
  // reached as a ProjectReference: discovery still reads all their configurations).
  bool seen(const std::string& path) const { return read_.count(path) != 0; }
  // Solutions that list `path`, for discovery.
  const Solution* cached_solution(const std::string& path);

 private:
  struct Built {
    model::ImageKind kind = model::ImageKind::Unknown;
    std::string image;
  };
  GlobalProperties base_globals(const std::string& path, const Solution* sln);
  const std::vector<ProjectConfig>& declared_configs(const std::string& path,
                                                     const GlobalProperties& globals);
  const Built* build_config(const std::string& path, const ProjectConfig& cfg,
                            const GlobalProperties& globals, const Solution* sln);
  std::string image_name(const std::string& path, const EvaluatedProject& p);
  std::vector<std::string> vc_include_dirs(const EvaluatedProject& p, const std::string& project_dir) const;
  model::CompileUnit target_of(const EvaluatedProject& p, const std::string& toolset,
                               const std::string& driver_type) const;
  void emit_units(const EvaluatedProject& p, const ProjectConfig& cfg, const std::string& image,
                  model::ImageKind kind);

  Session& s_;
  const ReadOptions& options_;
  model::BuildModel& out_;
  std::unordered_map<std::string, std::vector<ProjectConfig>> configs_;
  std::map<std::pair<std::string, std::string>, Built> built_;  // (path, config)
  std::map<std::string, std::optional<Solution>> solutions_;
  std::set<std::string> read_;
  std::unordered_map<std::string, std::string> guess_notes_;  // project -> SolutionDir note
  std::string root_;
};

}  // namespace nxpool::buildfiles
