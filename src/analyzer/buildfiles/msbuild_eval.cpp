// MSBuild project evaluation; the essay is in msbuild_eval.h.
#include "msbuild_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "msbuild_toolset.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

bool has_wildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

class Evaluator {
 public:
  Evaluator(Session& s, EvaluatedProject& p)
      : s_(s), p_(p), ex_(p.props, s.fs, s.locs, s.diags, p.path),
        project_dir_(parent_dir(p.path)) {
    ex_.set_env_allowlist(&s.allow_env);
  }

  void run(const std::shared_ptr<XmlFile>& root, const GlobalProperties& globals) {
    set_builtin_properties();
    for (const auto& [name, value] : globals)
      p_.props.set(name, LocStr(value, s_.loc_of_file("<global property>")), true);
    pugi::xml_node project = root->doc.document_element();
    bool cpp_default = false, cpp_targets = false;
    for (pugi::xml_node c : project.children("Import")) {
      std::string_view proj = c.attribute("Project").value();
      cpp_default |= iends_with(proj, "Microsoft.Cpp.Default.props");
      cpp_targets |= iends_with(proj, "Microsoft.Cpp.targets");
    }
    imported_.insert(p_.path);
    if (!cpp_default) import_directory_file("Directory.Build.props", root, project);
    walk(root, project);
    if (!cpp_targets) import_directory_file("Directory.Build.targets", root, project);
    wdk_target_version();
    for (auto& d : item_definition_groups_) item_definitions(d.first, d.second);
    ex_.set_items(&item_table_);
    for (auto& d : item_groups_) items(d.first, d.second);
    ex_.set_items(nullptr);
    p_.solution_dir_used = ex_.solution_dir_used();
  }

 private:
  using Deferred = std::pair<std::shared_ptr<XmlFile>, pugi::xml_node>;

  void set_builtin_properties() {
    uint32_t loc = s_.loc_of_file("<built-in property>");
    auto set = [&](std::string_view n, std::string v, bool reserved) {
      p_.props.set(n, LocStr(v, loc), reserved);
    };
    std::string dir = project_dir_;
    std::string dir_slash = dir == "/" ? dir : dir + "\\";  // '\' as on Windows
    set("MSBuildProjectDirectory", dir, true);
    set("MSBuildProjectDirectoryNoRoot", dir.substr(1), true);
    set("MSBuildProjectFullPath", p_.path, true);
    set("MSBuildProjectFile", std::string(file_name(p_.path)), true);
    set("MSBuildProjectName", std::string(file_stem(p_.path)), true);
    set("MSBuildProjectExtension", std::string(file_ext(p_.path)), true);
    set("ProjectDir", dir_slash, false);
    set("ProjectPath", p_.path, false);
    set("ProjectName", std::string(file_stem(p_.path)), false);
    set("ProjectFileName", std::string(file_name(p_.path)), false);
    set("ProjectExt", std::string(file_ext(p_.path)), false);
    set("OS", "Windows_NT", false);
    set("MSBuildToolsVersion", "Current", true);
    set("VisualStudioVersion", "17.0", false);
  }

  // The WDK toolset defines _NT_TARGET_VERSION from the project's
  // TargetVersion and the _NT_TARGET_VERSION_<OS> constants that projects
  // compare it with (NDIS version selection, for one). Its files are not here,
  // so the values are supplied after the project's own properties, unless the
  // project set them: the OS constants are the NTDDI major/minor pairs (0x600
  // Vista … 0x603 8.1, 0xA00 Windows 10), which keeps the order conditions test.
  void wdk_target_version() {
    uint32_t loc = s_.loc_of_file("<WDK toolset default>");
    const std::pair<const char*, const char*> os[] = {
        {"VISTA", "0x600"}, {"WIN7", "0x601"}, {"WIN8", "0x602"}, {"WINBLUE", "0x603"},
        {"WIN10", "0xA00"}};
    for (auto [name, value] : os) {
      std::string prop = std::string("_NT_TARGET_VERSION_") + name;
      if (!p_.props.find(prop)) p_.props.set(prop, LocStr(value, loc));
    }
    if (p_.props.find("_NT_TARGET_VERSION")) return;
    const PropEntry* tv = p_.props.find("TargetVersion");
    std::string v = tv ? to_lower(trim(tv->value.text)) : "";
    const char* value = v == "vista" ? "0x600" : v == "win7" ? "0x601" : v == "win8" ? "0x602"
                      : v == "windowsv6.3" ? "0x603" : "0xA00";
    p_.props.set("_NT_TARGET_VERSION", LocStr(value, loc));
  }

  uint32_t loc(XmlFile& f, pugi::xml_node n) { return s_.loc_of(f, n); }

  bool cond(XmlFile& f, pugi::xml_node n, const std::string& base) {
    pugi::xml_attribute c = n.attribute("Condition");
    if (!c) return true;
    return ex_.condition(c.value(), loc(f, n), base);
  }

  void walk(const std::shared_ptr<XmlFile>& f, pugi::xml_node parent) {
    for (pugi::xml_node c : parent.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = c.name();
      if (name == "PropertyGroup") {
        if (!cond(*f, c, project_dir_)) continue;
        for (pugi::xml_node prop : c.children()) {
          if (prop.type() != pugi::node_element || !cond(*f, prop, project_dir_)) continue;
          uint32_t at = loc(*f, prop);
          p_.props.set(prop.name(), ex_.expand(prop.child_value(), at));
        }
      } else if (name == "ItemGroup") {
        item_groups_.emplace_back(f, c);
      } else if (name == "ItemDefinitionGroup") {
        item_definition_groups_.emplace_back(f, c);
      } else if (name == "Import") {
        import(f, c);
      } else if (name == "ImportGroup") {
        if (!cond(*f, c, parent_dir(f->path))) continue;
        for (pugi::xml_node i : c.children("Import")) import(f, i);
      } else if (name == "Choose") {
        choose(f, c);
      } else if (name == "Target" || name == "UsingTask" || name == "ProjectExtensions" ||
                 name == "Sdk") {
        // Targets run at build time and do not change ClCompile evaluation.
      } else {
        s_.diags.warning(s_.locs.get(loc(*f, c)),
                         fmt::format("unknown MSBuild element <{}> ignored", name));
      }
    }
  }

  void choose(const std::shared_ptr<XmlFile>& f, pugi::xml_node c) {
    for (pugi::xml_node branch : c.children()) {
      if (branch.type() != pugi::node_element) continue;
      std::string_view n = branch.name();
      if (n == "When") {
        if (cond(*f, branch, project_dir_)) return walk(f, branch);
      } else if (n == "Otherwise") {
        return walk(f, branch);
      }
    }
  }

  void import(const std::shared_ptr<XmlFile>& f, pugi::xml_node el) {
    std::string importer_dir = parent_dir(f->path);
    if (!cond(*f, el, importer_dir)) return;
    uint32_t at = loc(*f, el);
    std::string raw = el.attribute("Project").value();
    if (el.attribute("Sdk")) return;  // an SDK import is part of the toolset
    ex_.take_undefined();
    std::string expanded = ex_.expand_plain(raw, at);
    std::vector<std::string> undefined = ex_.take_undefined();
    std::string_view leaf = file_name(expanded);
    if (iequals(leaf, "Microsoft.Cpp.Default.props"))
      import_directory_file("Directory.Build.props", f, el);
    if (iequals(leaf, "Microsoft.Cpp.targets"))
      import_directory_file("Directory.Build.targets", f, el);
    if (mentions_toolset_property(raw)) return;
    const model::SourceLoc& where = s_.locs.get(at);
    if (trim(raw).empty()) {
      s_.diags.error(where, "<Import> without a Project attribute; ignored");
      return;
    }
    if (!undefined.empty()) {
      s_.diags.error(where, fmt::format("import path \"{}\" uses undefined property $({}); {} "
                                        "is read without this import",
                                        raw, undefined.front(), file_name(p_.path)));
      return;
    }
    std::string path = normalize_path(expanded, importer_dir);
    // Read confinement: the directory a wildcard import starts from, or the
    // file itself, must be inside the scanned tree.
    std::string fixed = path;
    while (has_wildcard(fixed)) fixed = parent_dir(fixed);
    if (s_.fs.outside(fixed)) {
      s_.diags.error(where, fmt::format("imported project \"{}\" is {}; {} is read without this "
                                        "import", raw, kOutsideTree, file_name(p_.path)));
      return;
    }
    if (has_wildcard(path)) {
      for (const auto& match : s_.fs.glob(path)) import_file(match, where);
      return;
    }
    auto real = s_.fs.resolve(path);
    if (!real || !s_.fs.is_file(*real)) {
      s_.diags.error(where, fmt::format("imported project \"{}\" not found (looked for {}); {} "
                                        "is read without this import",
                                        raw, relative_path(path, importer_dir),
                                        file_name(p_.path)));
      return;
    }
    import_file(*real, where);
  }

  void import_directory_file(std::string_view name, const std::shared_ptr<XmlFile>& f,
                             pugi::xml_node el) {
    bool props = iequals(name, "Directory.Build.props");
    std::string& done = props ? directory_props_ : directory_targets_;
    if (!done.empty()) return;
    done = "-";
    const PropEntry* enable = p_.props.find(props ? "ImportDirectoryBuildProps"
                                                  : "ImportDirectoryBuildTargets");
    if (enable && iequals(trim(enable->value.text), "false")) return;
    const PropEntry* explicit_path = p_.props.find(props ? "DirectoryBuildPropsPath"
                                                         : "DirectoryBuildTargetsPath");
    std::string path;
    if (explicit_path && !trim(explicit_path->value.text).empty()) {
      path = normalize_path(explicit_path->value.text, project_dir_);
    } else {
      auto dir = s_.fs.find_upward(project_dir_, name);
      if (!dir) return;
      path = s_.fs.resolve(*dir + "/" + std::string(name)).value_or("");
    }
    if (auto real = s_.fs.resolve(path); real && s_.fs.is_file(*real))
      import_file(*real, s_.locs.get(loc(*f, el)));
  }

  void import_file(const std::string& path, const model::SourceLoc& where) {
    // MSBuild ignores a second import of the same file in one evaluation.
    if (!imported_.insert(path).second) return;
    std::shared_ptr<XmlFile> file = s_.xml(path);
    if (!file->ok) {
      s_.diags.error(file->error_loc,
                     fmt::format("{} (imported at {}:{}:{}); {} is read without this import",
                                 file->error, relative_path(where.file, parent_dir(path)),
                                 where.line, where.column, file_name(p_.path)));
      return;
    }
    pugi::xml_node root = file->doc.document_element();
    if (std::string_view(root.name()) != "Project") {
      s_.diags.error(s_.locs.get(loc(*file, root)),
                     fmt::format("imported file's root element is <{}>, not <Project>; ignored",
                                 root.name()));
      return;
    }
    std::string saved = ex_.this_file();
    ex_.set_this_file(path);
    walk(file, root);
    ex_.set_this_file(saved);
  }

  // A definition list that silently loses a property is how an opt-in goes
  // missing, so undefined properties there are reported (elsewhere an
  // undefined property is simply empty, as in MSBuild).
  LocStr expand_metadata(XmlFile& f, pugi::xml_node md) {
    uint32_t at = loc(f, md);
    ex_.take_undefined();
    LocStr v = ex_.expand(md.child_value(), at);
    std::vector<std::string> undefined = ex_.take_undefined();
    if (!undefined.empty() && (iequals(md.name(), "PreprocessorDefinitions") ||
                               iequals(md.name(), "UndefinePreprocessorDefinitions") ||
                               iequals(md.name(), "ForcedIncludeFiles"))) {
      for (const auto& name : undefined)
        s_.diags.note(s_.locs.get(at),
                      fmt::format("undefined property $({}) in <{}> expands to nothing{}", name,
                                  md.name(), config_suffix()));
    }
    return v;
  }

  std::string config_suffix() const {
    const PropEntry* c = p_.props.find("Configuration");
    const PropEntry* pl = p_.props.find("Platform");
    if (!c || !pl) return "";
    return fmt::format(" (in {}|{})", c->value.text, pl->value.text);
  }

  // Pass 2: ClCompile metadata defaults.
  void item_definitions(const std::shared_ptr<XmlFile>& f, pugi::xml_node group) {
    ex_.set_this_file(f->path);
    if (!cond(*f, group, project_dir_)) return;
    for (pugi::xml_node type : group.children()) {
      if (type.type() != pugi::node_element || !iequals(type.name(), "ClCompile")) continue;
      if (!cond(*f, type, project_dir_)) continue;
      ex_.set_metadata(&p_.clcompile_defaults, "");
      for (pugi::xml_node md : type.children()) {
        if (md.type() != pugi::node_element || !cond(*f, md, project_dir_)) continue;
        LocStr v = expand_metadata(*f, md);
        p_.clcompile_defaults[to_lower(md.name())] = MetaEntry{md.name(), std::move(v)};
      }
      ex_.set_metadata(nullptr, "");
    }
  }

  std::vector<std::string> item_specs(std::string_view attr, uint32_t at) {
    std::vector<std::string> out;
    LocStr v = ex_.expand(attr, at);
    for (auto part : split(v.text, ';')) {
      std::string_view t = trim(part);
      if (!t.empty()) out.emplace_back(t);
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> resolve_specs(
      const std::vector<std::string>& specs, uint32_t at) {
    std::vector<std::pair<std::string, std::string>> out;  // (as written, on disk)
    for (const auto& spec : specs) {
      std::string norm = normalize_path(spec, project_dir_);
      if (has_wildcard(spec)) {
        for (auto& m : s_.fs.glob(norm)) out.emplace_back(relative_path(m, project_dir_), m);
        continue;
      }
      auto real = s_.fs.resolve(norm);
      if (!real || !s_.fs.is_file(*real)) {
        s_.diags.warning(s_.locs.get(at),
                         fmt::format("source file \"{}\" listed by the project does not exist; "
                                     "skipped", spec));
        continue;
      }
      out.emplace_back(spec, *real);
    }
    return out;
  }

  void apply_item_metadata(XmlFile& f, pugi::xml_node el, ClCompileItem& item) {
    ex_.set_metadata(&item.metadata, item.include);
    for (pugi::xml_attribute a : el.attributes()) {
      std::string_view n = a.name();
      if (n == "Include" || n == "Exclude" || n == "Remove" || n == "Update" ||
          n == "Condition" || n == "KeepMetadata" || n == "RemoveMetadata" ||
          n == "KeepDuplicates")
        continue;
      item.metadata[to_lower(n)] = MetaEntry{std::string(n), ex_.expand(a.value(), loc(f, el))};
    }
    for (pugi::xml_node md : el.children()) {
      if (md.type() != pugi::node_element || !cond(f, md, project_dir_)) continue;
      LocStr v = expand_metadata(f, md);
      item.metadata[to_lower(md.name())] = MetaEntry{md.name(), std::move(v)};
    }
    ex_.set_metadata(nullptr, "");
  }

  // Pass 3: items.
  void items(const std::shared_ptr<XmlFile>& f, pugi::xml_node group) {
    ex_.set_this_file(f->path);
    if (!cond(*f, group, project_dir_)) return;
    for (pugi::xml_node el : group.children()) {
      if (el.type() != pugi::node_element) continue;
      std::string_view type = el.name();
      bool cl = iequals(type, "ClCompile");
      bool ref = iequals(type, "ProjectReference");
      bool cfg = iequals(type, "ProjectConfiguration");
      if (cl && std::string_view(el.attribute("Condition").value()).find("%(") !=
                    std::string_view::npos)
        s_.diags.warning(s_.locs.get(loc(*f, el)),
                         "item condition with %(metadata) (batching) is not supported; the "
                         "reference is compared as written");
      if (cl && (el.attribute("KeepMetadata") || el.attribute("RemoveMetadata")))
        s_.diags.warning(s_.locs.get(loc(*f, el)),
                         "KeepMetadata/RemoveMetadata are not supported; all metadata kept");
      if (!cond(*f, el, project_dir_)) continue;
      uint32_t at = loc(*f, el);
      if (!cl) {
        // Other item types only matter through @(Type); what their Includes
        // contain (transforms, generated names) is not ours to warn about.
        bool quiet = s_.diags.set_muted(true);
        track_item(el, at);
        s_.diags.set_muted(quiet);
      }
      if (!cl && !ref && !cfg) continue;
      if (cl && el.attribute("Remove")) {
        auto gone = resolve_specs(item_specs(el.attribute("Remove").value(), at), at);
        std::erase_if(p_.items, [&](const ClCompileItem& it) {
          return std::any_of(gone.begin(), gone.end(),
                             [&](const auto& g) { return g.second == it.path; });
        });
        item_table_["clcompile"].clear();
        for (const auto& it : p_.items) item_table_["clcompile"].push_back(it.include);
        continue;
      }
      if (cl && el.attribute("Update")) {
        auto targets = resolve_specs(item_specs(el.attribute("Update").value(), at), at);
        for (auto& item : p_.items)
          for (const auto& t : targets)
            if (t.second == item.path) apply_item_metadata(*f, el, item);
        continue;
      }
      std::vector<std::string> specs = item_specs(el.attribute("Include").value(), at);
      if (specs.empty()) {
        // An Include that expands to nothing (an empty @(List)) is legal and adds nothing.
        if (trim(el.attribute("Include").value()).empty())
          s_.diags.warning(s_.locs.get(at), fmt::format("<{}> without Include; ignored", type));
        continue;
      }
      if (cfg) {
        for (const auto& spec : specs) {
          ProjectConfig pc;
          size_t bar = spec.find('|');
          pc.configuration = spec.substr(0, bar);
          pc.platform = bar == std::string::npos ? "" : spec.substr(bar + 1);
          for (pugi::xml_node md : el.children()) {
            if (md.type() != pugi::node_element) continue;
            std::string v = ex_.expand_plain(md.child_value(), at);
            if (iequals(md.name(), "Configuration")) pc.configuration = v;
            if (iequals(md.name(), "Platform")) pc.platform = v;
          }
          p_.configurations.push_back(std::move(pc));
        }
        continue;
      }
      if (ref) {
        for (const auto& spec : specs) {
          std::string norm = normalize_path(spec, project_dir_);
          auto real = s_.fs.resolve(norm);
          if (!real) {
            s_.diags.error(s_.locs.get(at),
                           fmt::format("referenced project \"{}\" not found", spec));
            continue;
          }
          p_.project_references.emplace_back(*real, at);
        }
        continue;
      }
      auto files = resolve_specs(specs, at);
      if (pugi::xml_attribute ex = el.attribute("Exclude")) {
        auto excluded = resolve_specs(item_specs(ex.value(), at), at);
        std::erase_if(files, [&](const auto& file) {
          return std::any_of(excluded.begin(), excluded.end(),
                             [&](const auto& e) { return e.second == file.second; });
        });
      }
      auto& table = item_table_["clcompile"];
      for (auto& [spec, real] : files) {
        table.push_back(spec);
        ClCompileItem item;
        item.include = spec;
        item.path = real;
        item.metadata = p_.clcompile_defaults;
        item.loc = at;
        apply_item_metadata(*f, el, item);
        p_.items.push_back(std::move(item));
      }
    }
  }

  // Identities of items of every other type, for @(Type) in later Includes.
  void track_item(pugi::xml_node el, uint32_t at) {
    auto& list = item_table_[to_lower(el.name())];
    if (pugi::xml_attribute r = el.attribute("Remove")) {
      std::vector<std::string> gone = item_specs(r.value(), at);
      std::erase_if(list, [&](const std::string& id) {
        return std::any_of(gone.begin(), gone.end(), [&](const auto& g) { return iequals(g, id); });
      });
      return;
    }
    // Wildcards stay unexpanded until an @(Type) asks (most lists never are
    // referenced, and globbing *.txt;*.htm… of every project is not free).
    for (auto& spec : item_specs(el.attribute("Include").value(), at)) list.push_back(std::move(spec));
  }

  Session& s_;
  EvaluatedProject& p_;
  Expander ex_;
  Expander::ItemTable item_table_;
  std::string project_dir_;
  std::vector<Deferred> item_definition_groups_, item_groups_;
  std::unordered_set<std::string> imported_;
  std::string directory_props_, directory_targets_;
};

}  // namespace

EvaluatedProject evaluate_project(Session& session, const std::string& path,
                                  const GlobalProperties& globals) {
  EvaluatedProject p;
  p.path = path;
  std::shared_ptr<XmlFile> root = session.xml(path);
  if (!root->ok) {
    session.diags.error(root->error_loc, fmt::format("{}; project skipped", root->error));
    return p;
  }
  pugi::xml_node project = root->doc.document_element();
  if (std::string_view(project.name()) != "Project") {
    session.diags.error(session.locs.get(session.loc_of(*root, project)),
                        fmt::format("root element is <{}>, not <Project>; project skipped",
                                    project.name()));
    return p;
  }
  if (project.attribute("Sdk"))
    session.diags.warning(session.locs.get(session.loc_of(*root, project)),
                          "SDK-style project: the SDK's own imports are not read");
  p.loaded = true;
  Evaluator(session, p).run(root, globals);
  return p;
}

}  // namespace nxpool::buildfiles
