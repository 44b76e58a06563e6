// Which build files `--opt-in` edits, and merging those edits into the
// plan so the dry-run diff, the atomic writes and the summary treat them
// like every other fix.
//
// Every image the scan found with kernel-mode units and a build file gets
// the definition: when every .vcxproj imports the same .props by a plain
// relative path, and each project's PreprocessorDefinitions inherit from it
// (%(PreprocessorDefinitions), no ItemDefinitionGroup before the import),
// the .props is edited once; otherwise each .vcxproj. WDK `sources` files
// get C_DEFINES. Other build files (compile_commands.json) are generated,
// so the note names them instead. Only images with a kernel unit in mode
// "none" are considered (opted-out files stay opted out; ARM/ARM64 units
// are opted in already), and a file naming either opt-in macro is left as
// it is, which also makes a second run plan nothing.
// Tested by tests/fix/opt_in_test.cpp.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "fix/opt_in.h"

namespace nxpool::fix {
namespace {
namespace fs = std::filesystem;

const char* macro_of(OptIn k) { return k == OptIn::Auto ? "POOL_NX_OPTIN_AUTO" : "POOL_NX_OPTIN"; }

// Does the text already name the macro (as a whole word)?
bool names_macro(const std::string& text, const std::string& macro) {
  for (std::size_t p = text.find(macro); p != std::string::npos; p = text.find(macro, p + 1)) {
    std::size_t e = p + macro.size();
    if (e >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_')) return true;
  }
  return false;
}

// Either opt-in macro, not only the one asked for: with both set on x86/x64
// every unit that includes wdm.h stops compiling (AUTO wins the #if chain,
// yet ExInitializeDriverRuntime still names the OPTIN globals).
bool opts_in_already(const std::string& text) {
  return names_macro(text, "POOL_NX_OPTIN") || names_macro(text, "POOL_NX_OPTIN_AUTO");
}

class Planner {
 public:
  Planner(FixPlan& plan, OptIn kind) : plan_(plan), kind_(kind), def_(opt_in_definition(kind)) {}

  void note(const std::string& file, const std::string& why) {
    plan_.skipped.push_back(Skipped{file, 1, 1, "opt-in", why});
  }

  const SourceBytes* load(const std::string& file) {
    auto it = plan_.files.find(file);
    if (it != plan_.files.end()) return &it->second.source;
    auto [c, fresh] = cache_.try_emplace(file);
    if (fresh) c->second = read_source_bytes(file);
    if (!c->second.error.empty()) {
      if (fresh) plan_.errors.push_back(Skipped{file, 0, 0, "", c->second.error});
      return nullptr;
    }
    return &c->second;
  }

  bool add(const std::string& file, const std::vector<Edit>& edits) {
    return load(file) && add_file_edits(plan_, file, edits, "opt-in");
  }

  // Edits an MSBuild file (project or props) unless it has the macro already.
  void msbuild(const std::string& file) {
    const SourceBytes* src = load(file);
    if (!src || opts_in_already(src->text)) return;
    std::string why;
    auto edits = msbuild_opt_in(src->text, def_, why);
    if (edits) add(file, *edits);
    else note(file, why);
  }

  // The .props every project imports, when a definition there reaches them all.
  std::optional<std::string> shared_props(const std::vector<std::string>& projects) {
    if (projects.size() < 2) return std::nullopt;
    std::map<std::string, std::size_t> seen;
    std::map<std::string, std::map<std::string, std::size_t>> at;  // props -> project -> import offset
    for (const std::string& p : projects) {
      const SourceBytes* src = load(p);
      if (!src) return std::nullopt;
      std::set<std::string> mine;
      for (auto [imp, offset] : msbuild_plain_imports(src->text)) {
        std::replace(imp.begin(), imp.end(), '\\', '/');
        std::string path = (fs::path(p).parent_path() / imp).lexically_normal().generic_string();
        if (mine.insert(path).second) ++seen[path], at[path][p] = offset;
      }
    }
    for (const auto& [props, n] : seen) {
      if (n != projects.size() || lower_ascii(fs::path(props).extension().string()) != ".props") continue;
      const SourceBytes* src = load(props);
      std::string why;
      if (!src || !msbuild_opt_in(src->text, def_, why)) continue;
      const std::string& path = props;  // Clang 14 lambdas cannot capture a structured binding
      bool all = std::all_of(projects.begin(), projects.end(),
                             [&](const std::string& p) { return msbuild_inherits_from(load(p)->text, at[path][p]); });
      if (all) return path;
    }
    return std::nullopt;
  }

  void driver_entry(const std::vector<std::string>& sources, const std::string& build_file) {
    std::string why;
    for (const std::string& f : sources) {
      const SourceBytes* src = load(f);
      if (!src) continue;
      auto e = driver_entry_init(src->text, why);
      if (e) {
        add(f, {*e});
        return;
      }
      if (why.find("already") != std::string::npos) return;
    }
    note(build_file, "no DriverEntry body found in the image's sources: call "
                     "ExInitializeDriverRuntime(DrvRtPoolNxOptIn) first in DriverEntry by hand");
  }

 private:
  FixPlan& plan_;
  OptIn kind_;
  std::string def_;
  std::map<std::string, SourceBytes> cache_;
};

}  // namespace

std::string opt_in_definition(OptIn kind) { return std::string(macro_of(kind)) + "=1"; }

void plan_opt_in(const scan::ScanResult& scan, OptIn kind, FixPlan& plan) {
  if (kind == OptIn::None) return;
  Planner pl(plan, kind);
  std::vector<std::string> projects, sources, others;
  std::map<std::string, std::vector<std::string>> units_of;  // build file -> its kernel units' sources
  std::set<std::string> drivers;                             // build files of drivers (have DriverEntry)
  bool any_kernel = false;                                   // an image with kernel-mode units at all
  for (const scan::ImageRecord& img : scan.images) {
    if (img.build_file.empty()) continue;
    std::vector<std::string>& units = units_of[img.build_file];
    bool outside = false;  // a kernel unit the opt-in does not reach yet
    for (const scan::UnitRecord& u : scan.units) {
      if (u.image != img.name || u.mode == scan::NxMode::User) continue;
      if (u.mode == scan::NxMode::None) outside = true;
      if (std::find(units.begin(), units.end(), u.file) == units.end()) units.push_back(u.file);
    }
    if (units.empty()) continue;
    any_kernel = true;
    if (!outside) continue;
    if (img.kind == model::ImageKind::Driver || img.kind == model::ImageKind::ExportDriver) drivers.insert(img.build_file);
    std::string name = lower_ascii(fs::path(img.build_file).filename().string());
    auto& list = name.ends_with(".vcxproj") ? projects : name == "sources" ? sources : others;
    if (std::find(list.begin(), list.end(), img.build_file) == list.end()) list.push_back(img.build_file);
  }
  if (!any_kernel)
    pl.note(".", "no build file with kernel-mode sources was found: define " + opt_in_definition(kind) +
                     " in the build by hand");
  if (auto props = pl.shared_props(projects)) pl.msbuild(*props);
  else
    for (const std::string& p : projects) pl.msbuild(p);
  for (const std::string& s : sources) {
    const SourceBytes* src = pl.load(s);
    if (src && !opts_in_already(src->text)) pl.add(s, sources_opt_in(src->text, opt_in_definition(kind)));
  }
  for (const std::string& o : others)
    pl.note(o, "the definitions come from this generated file: add " + opt_in_definition(kind) +
                   " to the build that writes it");
  if (kind == OptIn::OptIn)
    for (const std::string& b : drivers) pl.driver_entry(units_of[b], b);
}

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace nxpool::fix
