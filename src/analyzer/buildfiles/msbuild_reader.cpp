// Images and units from evaluated projects; the essay is in msbuild_reader.h.
#include "msbuild_reader.h"
#include "target_version.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "compiler_args.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

model::Arch arch_of_platform(std::string_view platform) {
  std::string p = to_lower(trim(platform));
  if (p == "win32" || p == "x86") return model::Arch::X86;
  if (p == "x64" || p == "amd64") return model::Arch::X64;
  if (p == "arm") return model::Arch::Arm;
  if (p == "arm64") return model::Arch::Arm64;
  return model::Arch::Unknown;
}

model::ImageKind kind_of(std::string_view type) {
  type = trim(type);
  if (iequals(type, "Driver")) return model::ImageKind::Driver;
  if (iequals(type, "DynamicLibrary")) return model::ImageKind::DynamicLibrary;
  if (iequals(type, "StaticLibrary")) return model::ImageKind::StaticLibrary;
  if (iequals(type, "Application")) return model::ImageKind::Application;
  return model::ImageKind::Unknown;
}

const LocStr* meta(const MetadataMap& m, std::string_view name) {
  auto it = m.find(to_lower(name));
  return it == m.end() ? nullptr : &it->second.value;
}

std::string prop(const EvaluatedProject& p, std::string_view name) {
  const PropEntry* e = p.props.find(name);
  return e ? std::string(trim(e->value.text)) : std::string();
}

// MSBuild's %XX escapes (%3B is a ';' that does not split the list).
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Splits a ';' list, calling fn(token, offset of its first character).
template <class Fn>
void for_each_entry(const std::string& text, Fn fn) {
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ';') continue;
    size_t b = start, e = i;
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (b < e) fn(std::string_view(text).substr(b, e - b), b);
    start = i + 1;
  }
}

}  // namespace

const Solution* MsbuildReader::cached_solution(const std::string& path) {
  auto it = solutions_.find(path);
  if (it == solutions_.end()) it = solutions_.emplace(path, buildfiles::read_solution(s_, path)).first;
  return it->second ? &*it->second : nullptr;
}

GlobalProperties MsbuildReader::base_globals(const std::string& path, const Solution* sln) {
  GlobalProperties g;
  std::string sln_path;
  std::string guess_note;
  if (sln) {
    sln_path = sln->path;
  } else if (options_.solution_dir) {
    g.emplace_back("SolutionDir",
                   normalize_path(*options_.solution_dir, std::filesystem::current_path().string()) +
                       "\\");
  } else {
    // Nearest solution above the project that lists it.
    bool quiet = s_.diags.set_muted(true);
    for (std::string dir = parent_dir(path);; dir = parent_dir(dir)) {
      for (const auto& e : s_.fs.list(dir)) {
        if (e.is_dir || !iends_with(e.name, ".sln")) continue;
        const Solution* cand = cached_solution(dir + (dir == "/" ? "" : "/") + e.name);
        if (!cand) continue;
        for (const auto& proj : cand->projects)
          if (proj.path == path && sln_path.empty()) sln_path = cand->path;
      }
      if (!sln_path.empty() || dir == "/") break;
    }
    s_.diags.set_muted(quiet);
    if (sln_path.empty()) {
      g.emplace_back("SolutionDir", parent_dir(path) + "\\");
      guess_note = "$(SolutionDir) guessed as the project directory (no solution lists this "
                   "project; use --solution-dir to set it)";
    } else {
      guess_note = fmt::format("$(SolutionDir) taken from {}, the nearest solution that lists "
                               "this project (use --solution-dir to override)",
                               relative_path(sln_path, parent_dir(path)));
    }
  }
  if (!sln_path.empty()) {
    std::string dir = parent_dir(sln_path);
    g.emplace_back("SolutionDir", dir == "/" ? dir : dir + "\\");  // '\' as on Windows
    g.emplace_back("SolutionPath", sln_path);
    g.emplace_back("SolutionName", std::string(file_stem(sln_path)));
    g.emplace_back("SolutionFileName", std::string(file_name(sln_path)));
    g.emplace_back("SolutionExt", std::string(file_ext(sln_path)));
  }
  if (!guess_note.empty()) guess_notes_[path] = guess_note;
  return g;
}

const std::vector<ProjectConfig>& MsbuildReader::declared_configs(const std::string& path,
                                                                  const GlobalProperties& globals) {
  auto it = configs_.find(path);
  if (it != configs_.end()) return it->second;
  bool quiet = s_.diags.set_muted(true);
  EvaluatedProject p = evaluate_project(s_, path, globals);
  s_.diags.set_muted(quiet);
  return configs_.emplace(path, std::move(p.configurations)).first->second;
}

void MsbuildReader::read_solution(const std::string& sln_path) {
  const Solution* sln = cached_solution(sln_path);
  if (!sln) return;
  for (const auto& proj : sln->projects) read_project(proj.path, sln);
}

void MsbuildReader::read_project(const std::string& path, const Solution* sln) {
  read_.insert(path);
  GlobalProperties globals = base_globals(path, sln);
  const std::vector<ProjectConfig>& declared = declared_configs(path, globals);
  std::vector<ProjectConfig> chosen;
  const SlnProject* entry = nullptr;
  if (sln)
    for (const auto& p : sln->projects)
      if (p.path == path) entry = &p;
  const std::map<std::string, std::pair<std::string, bool>>* mapping = nullptr;
  if (entry)
    if (auto it = sln->mapping.find(entry->guid); it != sln->mapping.end()) mapping = &it->second;
  if (mapping) {
    for (const auto& sc : sln->configurations) {
      if (!config_selected(options_.configs, sc)) continue;
      auto m = mapping->find(to_lower(sc));
      if (m == mapping->end() || !m->second.second) continue;  // not built
      std::string_view pc = m->second.first;
      size_t bar = pc.find('|');
      ProjectConfig c{std::string(pc.substr(0, bar)),
                      bar == std::string_view::npos ? "" : std::string(pc.substr(bar + 1))};
      bool dup = false;
      for (const auto& x : chosen) dup |= iequals(x.name(), c.name());
      if (!dup) chosen.push_back(std::move(c));
    }
  } else {
    for (const auto& c : declared)
      if (config_selected(options_.configs, c.name())) chosen.push_back(c);
    if (declared.empty()) chosen.push_back(ProjectConfig{});  // evaluate once, no configuration
    if (chosen.empty())
      s_.diags.note({path, 0, 0}, "no configuration of this project matches --config; not read");
  }
  for (const auto& cfg : chosen) build_config(path, cfg, globals, sln);
  if (iends_with(path, ".vcxproj")) s_.forget_xml(path);
}

std::string MsbuildReader::image_name(const std::string& path, const EvaluatedProject&) {
  // The project name, not $(TargetName): the target name often varies by
  // platform (drv-x64, drv-a64) while the image is one thing to the user.
  return s_.image_name(path, std::string(file_stem(path)), root_);
}

const MsbuildReader::Built* MsbuildReader::build_config(const std::string& path,
                                                        const ProjectConfig& cfg,
                                                        const GlobalProperties& base,
                                                        const Solution* sln) {
  auto key = std::make_pair(path, to_lower(cfg.name()));
  if (auto it = built_.find(key); it != built_.end()) return &it->second;
  built_.emplace(key, Built{});  // guards against reference cycles
  GlobalProperties globals = base;
  if (!cfg.configuration.empty()) globals.emplace_back("Configuration", cfg.configuration);
  if (!cfg.platform.empty()) globals.emplace_back("Platform", cfg.platform);
  EvaluatedProject p = evaluate_project(s_, path, globals);
  if (!p.loaded) return nullptr;
  if (p.solution_dir_used)
    if (auto note = guess_notes_.find(path); note != guess_notes_.end())
      s_.diags.note({path, 0, 0}, note->second);

  Built built;
  built.image = image_name(path, p);
  const PropEntry* type = p.props.find("ConfigurationType");
  built.kind = type ? kind_of(type->value.text) : model::ImageKind::Unknown;
  model::Image image;
  image.name = built.image;
  image.config = cfg.configuration.empty() ? "" : cfg.name();
  image.kind = built.kind;
  image.origin = type && !type->value.spans.empty()
                     ? s_.locs.get(type->value.spans.front().second)
                     : model::SourceLoc{path, 0, 0};
  if (type && !trim(type->value.text).empty() && built.kind == model::ImageKind::Unknown &&
      !iequals(trim(type->value.text), "Utility") && !iequals(trim(type->value.text), "Makefile"))
    s_.diags.warning(image.origin, fmt::format("unknown ConfigurationType \"{}\"",
                                               trim(type->value.text)));
  built_[key] = built;

  for (const auto& [ref, at] : p.project_references) {
    const std::vector<ProjectConfig>& ref_configs = declared_configs(ref, base_globals(ref, sln));
    const ProjectConfig* pick = nullptr;
    for (const auto& c : ref_configs)
      if (!pick && iequals(c.name(), cfg.name())) pick = &c;
    for (const auto& c : ref_configs)
      if (!pick && config_matches("|" + cfg.platform, "|" + c.platform) &&
          iequals(c.configuration, cfg.configuration))
        pick = &c;
    if (!pick && !ref_configs.empty()) {
      s_.diags.warning(s_.locs.get(at),
                       fmt::format("referenced project {} has no configuration {}; not linked",
                                   file_name(ref), cfg.name()));
      continue;
    }
    ProjectConfig none;
    const Built* r = build_config(ref, pick ? *pick : none, base_globals(ref, sln), sln);
    if (r && r->kind == model::ImageKind::StaticLibrary) image.links.push_back(r->image);
  }
  out_.images.push_back(std::move(image));
  emit_units(p, cfg, built.image, built.kind);
  return &built_[key];
}

// VC++ Directories (issue 9 item 4): IncludePath and ExternalIncludePath,
// set in the project or a props file, are searched like the compiler's
// INCLUDE; entries that do not exist (most are toolset properties not
// defined here) are dropped.
std::vector<std::string> MsbuildReader::vc_include_dirs(const EvaluatedProject& p,
                                                        const std::string& project_dir) const {
  std::vector<std::string> dirs;
  for (const char* name : {"IncludePath", "ExternalIncludePath"})
    for_each_entry(prop(p, name), [&](std::string_view token, size_t) {
      auto real = s_.fs.resolve(normalize_path(trim(token), project_dir));
      if (real && s_.fs.is_dir(*real) && std::find(dirs.begin(), dirs.end(), *real) == dirs.end())
        dirs.push_back(*real);
    });
  return dirs;
}

// The configuration's Windows target (issue 9 item 3): TargetVersion, which
// a WDK project (driver toolset or DriverType) that does not set it gets as
// Windows10 from the WDK's defaults.
model::CompileUnit MsbuildReader::target_of(const EvaluatedProject& p, const std::string& toolset,
                                            const std::string& driver_type) const {
  model::CompileUnit t;
  const PropEntry* tv = p.props.find("TargetVersion");
  if (tv && !trim(tv->value.text).empty()) {
    t.ntddi_version = ntddi_for_target_version(tv->value.text);
    if (!tv->value.spans.empty()) t.target_origin = s_.locs.get(tv->value.spans.front().second);
  } else if (!driver_type.empty() || toolset.find("WindowsKernelModeDriver") != std::string::npos ||
             toolset.find("WindowsUserModeDriver") != std::string::npos) {
    t.ntddi_version = ntddi_for_target_version("Windows10");
    t.target_note = "<WDK default TargetVersion Windows10>";
  }
  return t;
}

void MsbuildReader::emit_units(const EvaluatedProject& p, const ProjectConfig& cfg,
                               const std::string& image, model::ImageKind kind) {
  std::string toolset = prop(p, "PlatformToolset"), driver_type = prop(p, "DriverType");
  bool kernel;
  if (toolset.find("KernelMode") != std::string::npos) kernel = true;
  else if (toolset.find("UserMode") != std::string::npos) kernel = false;
  else if (!driver_type.empty()) kernel = !iequals(driver_type, "UMDF");
  else kernel = kind == model::ImageKind::Driver;
  std::string project_dir = parent_dir(p.path);
  model::CompileUnit target = target_of(p, toolset, driver_type);
  std::vector<std::string> vc_dirs = vc_include_dirs(p, project_dir);
  model::Arch arch = arch_of_platform(cfg.platform);
  if (arch == model::Arch::Unknown && !cfg.platform.empty() && !p.items.empty())
    s_.diags.warning({p.path, 0, 0},
                     fmt::format("platform \"{}\" is not x86, x64, ARM or ARM64; the scanner's "
                                 "--arch applies to its units", cfg.platform));

  for (const auto& item : p.items) {
    if (const LocStr* ex = meta(item.metadata, "ExcludedFromBuild");
        ex && iequals(trim(ex->text), "true"))
      continue;
    model::CompileUnit u;
    u.source = item.path;
    u.config = cfg.configuration.empty() ? "" : cfg.name();
    u.arch = arch;
    u.kernel_mode = kernel;
    u.ntddi_version = target.ntddi_version;
    u.target_origin = target.target_origin;
    u.target_note = target.target_note;
    u.image = image;
    std::string_view ext = file_ext(item.path);
    u.cplusplus = !iequals(ext, ".c");
    if (const LocStr* as = meta(item.metadata, "CompileAs")) {
      if (iequals(trim(as->text), "CompileAsCpp")) u.cplusplus = true;
      if (iequals(trim(as->text), "CompileAsC")) u.cplusplus = false;
    }
    auto defs = [&](std::string_view name, bool undefine) {
      const LocStr* v = meta(item.metadata, name);
      if (!v) return;
      for_each_entry(v->text, [&](std::string_view token, size_t offset) {
        model::Definition d;
        if (!parse_definition_text(unescape(token), true, d)) return;
        if (undefine) d.value.reset();
        d.undefine = undefine;
        d.origin = s_.locs.get(v->loc_at(offset, item.loc));
        u.definitions.push_back(std::move(d));
      });
    };
    defs("PreprocessorDefinitions", false);
    defs("UndefinePreprocessorDefinitions", true);
    // Include directories that do not exist are dropped: they cannot supply a
    // header, and most are built from toolset properties not defined here
    // ($(DDK_INC_PATH)\km -> "\km").
    auto paths = [&](std::string_view name, std::vector<std::string>& into, bool dirs) {
      const LocStr* v = meta(item.metadata, name);
      if (!v) return;
      for_each_entry(v->text, [&](std::string_view token, size_t) {
        std::string norm = normalize_path(token, project_dir);
        auto real = s_.fs.resolve(norm);
        if (dirs && (!real || !s_.fs.is_dir(*real))) return;
        into.push_back(real.value_or(norm));
      });
    };
    paths("AdditionalIncludeDirectories", u.include_dirs, true);
    paths("ForcedIncludeFiles", u.forced_includes, false);
    // AdditionalOptions reach cl.exe after the generated options: /D, /U,
    // /I, /FI and /kernel there count too, each word with its own origin.
    if (const LocStr* extra = meta(item.metadata, "AdditionalOptions")) {
      std::vector<Arg> args;
      const std::string& t = extra->text;
      size_t i = 0;
      while (i < t.size()) {
        while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
        size_t b = i;
        bool quoted = false;
        while (i < t.size() && (quoted || !std::isspace(static_cast<unsigned char>(t[i])))) {
          if (t[i] == '"') quoted = !quoted;
          ++i;
        }
        if (b == i) break;
        model::SourceLoc origin = s_.locs.get(extra->loc_at(b, item.loc));
        for (auto& piece : split_command(std::string_view(t).substr(b, i - b), QuoteStyle::Windows))
          args.push_back(Arg{std::move(piece), origin});
      }
      apply_compiler_args(args, project_dir, QuoteStyle::Windows, s_.fs, u, s_.diags.all());
    }
    // VC++ Directories come after every /I, as the INCLUDE variable does.
    for (const std::string& dir : vc_dirs)
      if (std::find(u.include_dirs.begin(), u.include_dirs.end(), dir) == u.include_dirs.end())
        u.include_dirs.push_back(dir);
    if (const LocStr* pch = meta(item.metadata, "PrecompiledHeader");
        pch && iequals(trim(pch->text), "Use")) {
      const LocStr* file = meta(item.metadata, "PrecompiledHeaderFile");
      u.precompiled_header = file ? std::string(trim(file->text)) : "stdafx.h";
      // With /Yu the header comes from the .pch that the project's "Create"
      // unit built, so a source outside the project directory (..\pcidrv.c
      // including "precomp.h" that sits next to the .vcxproj) still gets it.
      // Searching the project directory last models that without changing
      // what any other include resolves to.
      if (auto real = s_.fs.resolve(project_dir); real && s_.fs.is_dir(*real) &&
          std::find(u.include_dirs.begin(), u.include_dirs.end(), *real) == u.include_dirs.end()) {
        u.include_dirs.push_back(*real);
      }
    }
    out_.units.push_back(std::move(u));
  }
}

}  // namespace nxpool::buildfiles
