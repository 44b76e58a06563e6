// Entry points: read one build file, or discover every build file in a tree.
//
// Discovery walks the tree once (sorted, skipping hidden directories) and
// reads, in this order: every .sln (its projects get its $(SolutionDir)); every
// .vcxproj no solution listed; every WDK `dirs` tree from its top-most `dirs`
// file, then `sources` directories no `dirs` reached; every
// compile_commands.json. Sources that no build file claims are left to the
// scanner's loose-file fallback.
//
// Tested by the discover_* fixtures in tests/buildfiles/fixtures.
#include <fmt/format.h>

#include <filesystem>

#include "build.h"
#include "msbuild_reader.h"
#include "session.h"
#include "wdk_sources.h"

namespace nxpool::buildfiles {

namespace {

std::string absolute(const std::string& p) {
  return normalize_path(p, std::filesystem::current_path().string());
}

void finish(Session& s, model::BuildModel& m) {
  auto& d = s.diags.all();
  m.diagnostics.insert(m.diagnostics.end(), std::make_move_iterator(d.begin()),
                       std::make_move_iterator(d.end()));
}

void append(model::BuildModel& into, model::BuildModel&& from) {
  for (auto& x : from.images) into.images.push_back(std::move(x));
  for (auto& x : from.units) into.units.push_back(std::move(x));
  for (auto& x : from.diagnostics) into.diagnostics.push_back(std::move(x));
}

bool is_named(std::string_view file, std::string_view name) { return iequals(file_name(file), name); }

// A failure reading one build file (bad_alloc, a bug) is that file's error
// and every other build file is still read (issue 10 item 9).
template <class F>
void guarded(Session& s, const std::string& path, F&& read) {
  try {
    read();
  } catch (const std::exception& e) {
    s.diags.error({path, 0, 0}, fmt::format("reading this build file failed ({}); it is skipped", e.what()));
  }
}

void confine(Session& s, const ReadOptions& o, const std::string& entry_dir) {
  s.allow_env = o.allow_env;
  if (!o.confine) return;
  std::vector<std::string> roots = o.allow_read;
  roots.push_back(entry_dir);
  s.fs.set_roots(roots);
}

}  // namespace

model::BuildModel read_project(const std::string& file, const ReadOptions& options) {
  model::BuildModel m;
  Session s;
  std::string path = absolute(file);
  if (auto real = s.fs.resolve(path)) path = *real;
  {
    std::error_code ec;
    confine(s, options, std::filesystem::is_directory(path, ec) ? path : parent_dir(path));
  }
  std::string_view ext = file_ext(path);
  if (!s.fs.is_file(path)) {
    if (s.fs.is_dir(path)) {
      // A directory: its compile_commands.json, or a WDK dirs/sources file.
      for (const char* name : {"dirs", "sources", "compile_commands.json"})
        if (auto r = s.fs.resolve(path + "/" + name); r && s.fs.is_file(*r))
          return read_project(*r, options);
    }
    s.diags.error({path, 0, 0}, "build file not found");
  } else if (iequals(ext, ".json")) {
    return load_compile_commands(path);
  } else if (iequals(ext, ".sln")) {
    MsbuildReader r(s, options, m);
    r.set_root(parent_dir(path));
    r.read_solution(path);
  } else if (iequals(ext, ".vcxproj")) {
    MsbuildReader r(s, options, m);
    r.set_root(parent_dir(path));
    r.read_project(path, nullptr);
  } else if (is_named(path, "dirs") || is_named(path, "sources")) {
    WdkSourcesReader r(s, options, m);
    r.set_root(parent_dir(path));
    r.read(path);
    r.finish();
  } else {
    s.diags.error({path, 0, 0},
                  "not a build file nxpool reads (.sln, .vcxproj, dirs, sources, "
                  "compile_commands.json)");
  }
  finish(s, m);
  return m;
}

model::BuildModel discover(const std::string& dir, const ReadOptions& options) {
  model::BuildModel m;
  Session s;
  std::string root = absolute(dir);
  if (auto real = s.fs.resolve(root)) root = *real;
  confine(s, options, root);
  if (!s.fs.is_dir(root)) {
    s.diags.error({root, 0, 0}, "directory not found");
    finish(s, m);
    return m;
  }
  std::vector<std::string> slns, projects, dirs_files, sources_files, compdbs;
  std::vector<std::string> stack{root};
  while (!stack.empty()) {
    std::string d = stack.back();
    stack.pop_back();
    const auto& entries = s.fs.list(d);
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      if (it->name.empty() || it->name[0] == '.') continue;
      std::string p = (d == "/" ? "" : d) + "/" + it->name;
      if (it->is_dir && !it->is_link) stack.push_back(p);
    }
    for (const auto& e : entries) {
      if (e.is_dir || e.name.empty() || e.name[0] == '.') continue;
      std::string p = (d == "/" ? "" : d) + "/" + e.name;
      bool build_file = iends_with(e.name, ".sln") || iends_with(e.name, ".vcxproj") ||
                        iequals(e.name, "dirs") || iequals(e.name, "sources") ||
                        e.name == "compile_commands.json";
      if (build_file && e.is_link && s.fs.outside(p)) {
        // A symlink leading out of the tree is not followed.
        s.diags.error({p, 0, 0}, std::string("cannot read file: ") + kOutsideTree);
        continue;
      }
      if (iends_with(e.name, ".sln")) slns.push_back(p);
      else if (iends_with(e.name, ".vcxproj")) projects.push_back(p);
      else if (iequals(e.name, "dirs")) dirs_files.push_back(p);
      else if (iequals(e.name, "sources")) sources_files.push_back(p);
      else if (e.name == "compile_commands.json") compdbs.push_back(p);
    }
  }
  {
    MsbuildReader r(s, options, m);
    r.set_root(root);
    for (const auto& sln : slns) guarded(s, sln, [&] { r.read_solution(sln); });
    for (const auto& proj : projects)
      if (!r.seen(proj)) guarded(s, proj, [&] { r.read_project(proj, nullptr); });
  }
  {
    WdkSourcesReader r(s, options, m);
    r.set_root(root);
    for (const auto& d : dirs_files)
      if (!r.reached(parent_dir(d))) guarded(s, d, [&] { r.read(d); });
    for (const auto& src : sources_files)
      if (!r.reached(parent_dir(src))) guarded(s, src, [&] { r.read(src); });
    guarded(s, root, [&] { r.finish(); });
  }
  finish(s, m);
  for (const auto& c : compdbs) {
    try {
      append(m, load_compile_commands(c));
    } catch (const std::exception& e) {
      m.diagnostics.push_back(make_diag(model::Severity::Error, {c, 0, 0},
                                        fmt::format("reading this build file failed ({}); it is skipped", e.what())));
    }
  }
  return m;
}

}  // namespace nxpool::buildfiles
