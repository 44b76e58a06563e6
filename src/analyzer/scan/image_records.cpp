// Image records for a scan result (issue 4 item 5: the mode table is per
// image, naming its kind and build file). Build files are shown relative to
// the current directory, like every other path in the output.
// Tested by tests/cli/modes_table_test.cpp and tests/analyzer/report_test.cpp.
#include "scan/image_records.h"

#include <algorithm>
#include <map>
#include <set>

#include "pp/file_cache.h"

namespace nxpool::scan {

// One record per image name: kind and build file from the build model,
// configurations in declared order, then any a unit names that the model
// does not ("<scan>" and compile_commands units have no Image).
std::vector<ImageRecord> image_records(const model::BuildModel& build, const std::vector<UnitRecord>& units) {
  std::vector<ImageRecord> out;
  std::map<std::string, std::size_t> index;
  auto record = [&](const std::string& name) -> ImageRecord& {
    auto [it, fresh] = index.emplace(name, out.size());
    if (fresh) out.push_back(ImageRecord{name, model::ImageKind::Unknown, "", {}});
    return out[it->second];
  };
  auto add_config = [](ImageRecord& r, const std::string& c) {
    if (std::find(r.configs.begin(), r.configs.end(), c) == r.configs.end()) r.configs.push_back(c);
  };
  for (const model::Image& img : build.images) {
    if (img.name == "<scan>") continue;
    ImageRecord& r = record(img.name);
    if (r.build_file.empty()) {
      r.kind = img.kind;
      r.build_file = pp::display_path(pp::normalize_path(img.origin.file));
    }
    add_config(r, img.config);
  }
  for (const UnitRecord& u : units)
    if (u.image != "<scan>") add_config(record(u.image), u.config);
  for (const UnitRecord& u : units)
    if (u.image == "<scan>") add_config(record(u.image), u.config);
  // Images nobody compiles into (e.g. every configuration excluded) keep
  // their heading only if they have units; the table is about units.
  std::set<std::string> used;
  for (const UnitRecord& u : units) used.insert(u.image);
  std::erase_if(out, [&](const ImageRecord& r) { return !used.count(r.name); });
  return out;
}

const char* image_kind_name(model::ImageKind k) {
  switch (k) {
    case model::ImageKind::Driver: return "driver";
    case model::ImageKind::ExportDriver: return "export driver";
    case model::ImageKind::DynamicLibrary: return "dll";
    case model::ImageKind::StaticLibrary: return "static library";
    case model::ImageKind::Application: return "application";
    default: return "unknown kind";
  }
}

}  // namespace nxpool::scan
