// The --modes table (issue 4 item 5): per image, translation units ×
// configurations, each cell the effective mode, then a legend saying where
// each mode came from.
//
//   image PCIDRV (driver, general/pcidrv/sys/PCIDRV.vcxproj)
//     files in general/pcidrv/
//     FILE         Debug|x64  Release|x64  Debug|ARM64  Release|ARM64
//     sys/hw.c     optin [1]  optin [2]    auto [3]     auto [3]
//     [1] POOL_NX_OPTIN=1 from general/pcidrv/sys/PCIDRV.vcxproj:320
//     ...
//
// A driver tree repeats the same explanation in almost every cell (one
// property sheet opts in every file), so a cell carries only a number and
// each distinct explanation is printed once per image. Numbers restart at 1
// in every image so a heading and its legend read on their own. A cell is
// "-" when the file is not built in that configuration; "?" after the mode
// marks a deciding #define inside an #if the scan cannot know. Paths are
// relative to the current directory, like the findings'; rows leave out the
// directory every file of the image shares, printed once above them.
// Tested by tests/analyzer/report_test.cpp and tests/cli/modes_table_test.cpp.
#include <algorithm>
#include <map>

#include "report/report.h"

namespace nxpool::report {
namespace {

// The images to print: the result's records, plus one for any image a unit
// names that has no record (a hand-built ScanResult).
std::vector<scan::ImageRecord> images_of(const scan::ScanResult& r) {
  std::vector<scan::ImageRecord> out = r.images;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out.size(); ++i) index.emplace(out[i].name, i);
  for (const auto& u : r.units) {
    auto [it, fresh] = index.emplace(u.image, out.size());
    if (fresh) out.push_back(scan::ImageRecord{u.image, model::ImageKind::Unknown, "", {}});
    auto& cs = out[it->second].configs;
    if (std::find(cs.begin(), cs.end(), u.config) == cs.end()) cs.push_back(u.config);
  }
  return out;
}

// The longest directory prefix ("a/b/", with its slash) of every path.
std::string common_dir(const std::vector<std::string>& paths) {
  if (paths.empty()) return "";
  std::string p = paths.front();
  p.erase(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
  for (const std::string& f : paths) {
    while (!p.empty() && f.compare(0, p.size(), p) != 0) {
      p.pop_back();
      auto slash = p.rfind('/');
      p.erase(slash == std::string::npos ? 0 : slash + 1);
    }
  }
  return p;
}

void write_image(std::ostream& os, const scan::ImageRecord& img, const std::vector<const scan::UnitRecord*>& units) {
  os << "image " << img.name;
  if (img.name == "<scan>") os << " (loose files)";
  else if (img.build_file.empty()) os << " (" << scan::image_kind_name(img.kind) << ")";
  else os << " (" << scan::image_kind_name(img.kind) << ", " << img.build_file << ")";
  os << "\n";

  std::vector<std::string> files;
  std::map<std::string, std::vector<const scan::UnitRecord*>> rows;  // file -> one unit per configuration
  for (const scan::UnitRecord* u : units) {
    auto c = std::find(img.configs.begin(), img.configs.end(), u->config);
    std::size_t col = static_cast<std::size_t>(c - img.configs.begin());
    auto [row, fresh] = rows.try_emplace(u->file, img.configs.size(), nullptr);
    if (fresh) files.push_back(u->file);
    if (!row->second[col]) row->second[col] = u;  // the same file twice in one configuration: first wins
  }
  // Legend numbers in reading order (row by row, left to right).
  std::vector<std::string> legend;
  std::map<std::string, std::size_t> legend_index;
  std::map<std::string, std::vector<std::string>> cells;
  for (const std::string& f : files) {
    std::vector<std::string>& out = cells[f];
    for (const scan::UnitRecord* u : rows[f]) {
      if (!u) {
        out.push_back("-");
        continue;
      }
      auto [li, new_source] = legend_index.emplace(u->source, legend.size() + 1);
      if (new_source) legend.push_back(u->source);
      out.push_back(std::string(scan::mode_name(u->mode)) + (u->uncertain ? "?" : "") + " [" +
                    std::to_string(li->second) + "]");
    }
  }

  // Rows name files relative to the directory all of them share (said on
  // its own line), so a tree scanned from its root stays within 100 columns.
  std::string prefix = common_dir(files);
  if (!prefix.empty()) os << "  files in " << prefix << "\n";
  std::vector<std::string> shown;
  for (const std::string& f : files) shown.push_back(f.substr(prefix.size()));

  std::vector<std::string> heads;
  for (const std::string& c : img.configs) heads.push_back(c.empty() ? "MODE" : c);
  std::size_t wf = 4;
  for (const std::string& f : shown) wf = std::max(wf, f.size());
  std::vector<std::size_t> w(heads.size());
  for (std::size_t i = 0; i < heads.size(); ++i) {
    w[i] = heads[i].size();
    for (const std::string& f : files) w[i] = std::max(w[i], cells[f][i].size());
  }
  auto row = [&](const std::string& first, const std::vector<std::string>& rest) {
    std::string line = "  " + first + std::string(wf - first.size(), ' ');
    for (std::size_t i = 0; i < rest.size(); ++i) line += "  " + rest[i] + std::string(w[i] - rest[i].size(), ' ');
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << "\n";
  };
  row("FILE", heads);
  for (std::size_t i = 0; i < files.size(); ++i) row(shown[i], cells[files[i]]);
  for (std::size_t i = 0; i < legend.size(); ++i) os << "  [" << i + 1 << "] " << legend[i] << "\n";
}

}  // namespace

void write_modes(std::ostream& os, const scan::ScanResult& r) {
  std::vector<scan::ImageRecord> images = images_of(r);
  std::map<std::string, std::vector<const scan::UnitRecord*>> by_image;
  for (const auto& u : r.units) by_image[u.image].push_back(&u);
  bool first = true;
  for (const scan::ImageRecord& img : images) {
    auto it = by_image.find(img.name);
    if (it == by_image.end()) continue;
    if (!first) os << "\n";
    first = false;
    write_image(os, img, it->second);
  }
  bool any_uncertain = std::any_of(r.units.begin(), r.units.end(), [](const auto& u) { return u.uncertain; });
  if (any_uncertain) os << "\n(? = the deciding definition is inside an #if whose condition the scan cannot know)\n";
  for (const auto& d : r.diagnostics)
    if (d.severity == model::Severity::Error) os << input_position(d) << ": error: " << d.message << "\n";
}

}  // namespace nxpool::report
