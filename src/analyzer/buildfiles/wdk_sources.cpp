// WDK dirs/sources trees; the essay is in wdk_sources.h.
#include "wdk_sources.h"
#include "target_version.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler_args.h"
#include "sln.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

struct Word {
  std::string text;
  uint32_t loc;
};

// Whitespace-separated words (double quotes group), each with the origin of
// its first character.
std::vector<Word> words(const LocStr& v) {
  std::vector<Word> out;
  const std::string& t = v.text;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    if (i >= t.size()) break;
    size_t b = i;
    bool q = false;
    while (i < t.size() && (q || !std::isspace(static_cast<unsigned char>(t[i])))) {
      if (t[i] == '"') q = !q;
      ++i;
    }
    out.push_back(Word{t.substr(b, i - b), v.loc_at(b, 0)});
  }
  return out;
}

model::ImageKind kind_of(std::string_view t) {
  if (iequals(t, "DRIVER") || iequals(t, "MINIPORT") || iequals(t, "GDI_DRIVER"))
    return model::ImageKind::Driver;
  if (iequals(t, "EXPORT_DRIVER")) return model::ImageKind::ExportDriver;
  if (iequals(t, "DRIVER_LIBRARY") || iequals(t, "LIBRARY")) return model::ImageKind::StaticLibrary;
  if (iequals(t, "DYNLINK")) return model::ImageKind::DynamicLibrary;
  if (iequals(t, "PROGRAM")) return model::ImageKind::Application;
  return model::ImageKind::Unknown;
}

bool is_c_source(std::string_view name) {
  std::string_view e = file_ext(name);
  return iequals(e, ".c") || iequals(e, ".cpp") || iequals(e, ".cxx") || iequals(e, ".cc");
}

}  // namespace

WdkSourcesReader::WdkSourcesReader(Session& session, const ReadOptions& options,
                                   model::BuildModel& out)
    : s_(session), out_(out) {
  for (bool free : {true, false}) {
    for (auto [arch, buildarch, macro, prefix, march] :
         {std::tuple{"x86", "x86", "386", "I386", model::Arch::X86},
          std::tuple{"x64", "AMD64", "AMD64", "AMD64", model::Arch::X64},
          std::tuple{"arm64", "ARM64", "ARM64", "ARM64", model::Arch::Arm64}}) {
      Config c{fmt::format("{}|{}", free ? "fre" : "chk", arch), buildarch, macro, prefix, free,
               march};
      if (config_selected(options.configs, c.name)) configs_.push_back(std::move(c));
    }
  }
}

void WdkSourcesReader::seed(NmakeEnv& env, const Config& c) const {
  uint32_t loc = 0;  // environment macros have no file origin
  env.set("_BUILDARCH", LocStr(c.buildarch, loc));
  env.set(c.archmacro, LocStr("1", loc));
  env.set("FREEBUILD", LocStr(c.free ? "1" : "0", loc));
  env.set("DDKBUILDENV", LocStr(c.free ? "fre" : "chk", loc));
  // Target OS: the newest, as in msbuild_eval.cpp; the constants keep their
  // NTDDI major/minor order so `!if $(_NT_TARGET_VERSION) >= …` tests work.
  for (auto [name, value] : {std::pair{"_NT_TARGET_VERSION_VISTA", "0x600"},
                             std::pair{"_NT_TARGET_VERSION_WIN7", "0x601"},
                             std::pair{"_NT_TARGET_VERSION_WIN8", "0x602"},
                             std::pair{"_NT_TARGET_VERSION_WINBLUE", "0x603"},
                             std::pair{"_NT_TARGET_VERSION_WIN10", "0xA00"},
                             std::pair{"_NT_TARGET_VERSION", "0xA00"}})
    env.set(name, LocStr(value, loc));
}

void WdkSourcesReader::read(const std::string& path) {
  std::string dir = parent_dir(path);
  if (iequals(file_name(path), "dirs")) read_dirs(dir, 0);
  else read_sources(dir);
}

void WdkSourcesReader::read_dirs(const std::string& dir, int depth) {
  if (!reached_.insert(dir).second) return;
  auto dirs_file = s_.fs.resolve(dir + "/dirs");
  if (!dirs_file) return;
  if (depth > 64) {
    s_.diags.error({*dirs_file, 0, 0}, "dirs nesting too deep; stopped");
    return;
  }
  // The union over configurations, in the order first listed.
  std::vector<std::pair<std::string, uint32_t>> subdirs;
  for (const auto& c : configs_) {
    NmakeEnv env;
    seed(env, c);
    NmakeReader reader(s_, cache_, env, dir);
    NmakeOutcome r = reader.process(*dirs_file);
    if (!r.ok) return;  // reported; the subtree is skipped
    if (r.error) continue;
    for (const char* var : {"DIRS", "OPTIONAL_DIRS"}) {
      for (const Word& w : words(env.expand_macro(var))) {
        std::string name = w.text;
        if (!name.empty() && name.front() == '{') continue;  // product filters: not supported
        bool dup = false;
        for (const auto& sd : subdirs) dup |= sd.first == name;
        if (!dup) subdirs.emplace_back(name, w.loc);
      }
    }
  }
  for (const auto& [name, loc] : subdirs) {
    auto sub = s_.fs.resolve(normalize_path(name, dir));
    if (!sub || !s_.fs.is_dir(*sub)) {
      s_.diags.warning(s_.locs.get(loc), fmt::format("directory \"{}\" listed in dirs not found", name));
      continue;
    }
    if (auto d = s_.fs.resolve(*sub + "/dirs"); d && s_.fs.is_file(*d)) read_dirs(*sub, depth + 1);
    else if (auto src = s_.fs.resolve(*sub + "/sources"); src && s_.fs.is_file(*src)) read_sources(*sub);
    else
      s_.diags.warning(s_.locs.get(loc),
                       fmt::format("directory \"{}\" has neither a dirs nor a sources file", name));
  }
}

void WdkSourcesReader::read_sources(const std::string& dir) {
  if (!reached_.insert(dir).second) return;
  auto sources = s_.fs.resolve(dir + "/sources");
  if (!sources) return;
  std::optional<std::string> project_mk;
  if (auto pdir = s_.fs.find_upward(dir, "project.mk"))
    project_mk = s_.fs.resolve(*pdir + "/project.mk");

  struct PerConfig {
    const Config* config;
    NmakeEnv env;
  };
  std::vector<PerConfig> evaluated;
  for (const auto& c : configs_) {
    PerConfig pc{&c, {}};
    seed(pc.env, c);
    NmakeReader reader(s_, cache_, pc.env, dir);
    NmakeOutcome r;
    if (project_mk) r = reader.process(*project_mk);
    if (r.ok && !r.error) r = reader.process(*sources);
    if (!r.ok) {
      s_.diags.note({*sources, 0, 0},
                    "directory skipped: its build files have an error (reported separately)");
      return;  // a syntax error skips the whole directory
    }
    if (r.error) {
      s_.diags.note({*sources, 0, 0},
                    fmt::format("{} is not built: !error \"{}\"", c.name, trim(*r.error)));
      continue;
    }
    evaluated.push_back(std::move(pc));
  }

  for (auto& [config, env] : evaluated) {
    const Config& c = *config;
    std::vector<Word> files = words(env.expand_macro("SOURCES"));
    for (const Word& w : words(env.expand_macro(c.sources_prefix + "_SOURCES"))) files.push_back(w);
    // Catalogs, test lists, script packages … compile nothing: no warnings about them.
    bool compiles = std::any_of(files.begin(), files.end(),
                                [](const Word& w) { return is_c_source(w.text); });
    LocStr target = env.expand_macro("TARGETNAME");
    std::string name(trim(target.text));
    LocStr type_v = env.expand_macro("TARGETTYPE");
    std::string type(trim(type_v.text));
    model::Image image;
    if (name.empty()) {
      name = std::string(file_name(dir));
      if (compiles)
        s_.diags.warning({*sources, 0, 0}, fmt::format("no TARGETNAME; image named \"{}\"", name));
    }
    image.name = s_.image_name(dir, name, root_);
    image.config = c.name;
    image.kind = kind_of(type);
    image.origin = type_v.spans.empty() ? model::SourceLoc{*sources, 0, 0}
                                        : s_.locs.get(type_v.spans.front().second);
    if (compiles && !type.empty() && image.kind == model::ImageKind::Unknown &&
        !iequals(type, "NOTARGET"))
      s_.diags.warning(image.origin, fmt::format("unknown TARGETTYPE \"{}\"", type));
    bool kernel = image.kind != model::ImageKind::DynamicLibrary &&
                  image.kind != model::ImageKind::Application && !env.defined("UMDF_VERSION_MAJOR");

    std::vector<std::string> libs;
    for (const char* var : {"TARGETLIBS", "LINKLIBS"})
      for (const Word& w : words(env.expand_macro(var))) libs.emplace_back(file_stem(w.text));
    pending_links_.emplace_back(out_.images.size(), std::move(libs));
    out_.images.push_back(image);

    // Shared compile settings for every source of this directory.
    model::CompileUnit base;
    base.config = c.name;
    base.arch = c.arch;
    base.kernel_mode = kernel;
    // The Windows target (issue 9 item 3): a number, or the name of the
    // build environment's macro, which the sources file does not define.
    if (const LocStr* tv = env.raw("_NT_TARGET_VERSION")) {
      LocStr ex = env.expand(*tv);
      base.ntddi_version = ntddi_for_nt_target_version(trim(ex.text).empty() ? tv->text : ex.text);
      if (!tv->spans.empty()) base.target_origin = s_.locs.get(tv->spans.front().second);
    }
    base.image = image.name;
    std::vector<Arg> args;
    for (const char* var : {"C_DEFINES", "USER_C_FLAGS"})
      for (const Word& w : words(env.expand_macro(var))) {
        auto split = split_command(w.text, QuoteStyle::Windows);
        for (auto& piece : split) args.push_back(Arg{piece, s_.locs.get(w.loc)});
      }
    apply_compiler_args(args, dir, QuoteStyle::Windows, s_.fs, base, s_.diags.all());
    LocStr includes = env.expand_macro("INCLUDES");
    for (auto entry : split(includes.text, ';')) {
      entry = trim(entry);
      if (entry.empty()) continue;
      // A directory that does not exist supplies no header (see msbuild_reader.cpp).
      auto real = s_.fs.resolve(normalize_path(entry, dir));
      if (real && s_.fs.is_dir(*real)) base.include_dirs.push_back(*real);
    }
    base.precompiled_header = std::string(trim(env.expand_macro("PRECOMPILED_INCLUDE").text));
    if (env.take_over_budget())
      s_.diags.error({*sources, 0, 0}, fmt::format("nmake macro expansion exceeds its budget of {} bytes "
                                                   "(recursive macros?); those values are empty",
                                                   kMaxNmakeWork));

    for (const Word& w : files) {
      if (!is_c_source(w.text)) continue;  // .rc, .mc, .idl … are not C units
      auto real = s_.fs.resolve(normalize_path(w.text, dir));
      if (!real || !s_.fs.is_file(*real)) {
        s_.diags.warning(s_.locs.get(w.loc),
                         fmt::format("source file \"{}\" listed in SOURCES does not exist; skipped",
                                     w.text));
        continue;
      }
      model::CompileUnit u = base;
      u.source = *real;
      u.cplusplus = !iequals(file_ext(*real), ".c");
      out_.units.push_back(std::move(u));
    }
  }
}

void WdkSourcesReader::finish() {
  for (auto& [index, libs] : pending_links_) {
    model::Image& img = out_.images[index];
    for (const auto& lib : libs) {
      for (const auto& other : out_.images) {
        if (&other == &img || other.config != img.config ||
            other.kind != model::ImageKind::StaticLibrary)
          continue;
        if (iequals(other.name, lib) || istarts_with(other.name, lib + " (")) {
          img.links.push_back(other.name);
          break;
        }
      }
    }
  }
  pending_links_.clear();
}

}  // namespace nxpool::buildfiles
