#include "session.h"

#include <fmt/format.h>

namespace nxpool::buildfiles {

std::shared_ptr<XmlFile> Session::xml(const std::string& path) {
  auto it = xml_.find(path);
  if (it != xml_.end()) return it->second;
  auto file = std::make_shared<XmlFile>();
  file->path = path;
  std::string raw, why;
  if (fs.outside(path)) {
    file->error = std::string("cannot read file: ") + kOutsideTree;
    file->error_loc = {path, 0, 0};
  } else if (!read_text_file(path, raw, &why)) {
    file->error = "cannot read file: " + why;
    file->error_loc = {path, 0, 0};
  } else {
    // Decode ourselves (UTF-16 projects exist) so offsets match line numbers.
    std::string text = decode_text(std::move(raw));
    file->lines = LineTable(text);
    pugi::xml_parse_result r =
        file->doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
      auto [line, col] = file->lines.position(size_t(r.offset));
      file->error = fmt::format("malformed XML: {}", r.description());
      file->error_loc = {path, line, col};
    } else {
      file->ok = true;
    }
  }
  xml_.emplace(path, file);
  return file;
}

std::string Session::image_name(const std::string& key, const std::string& wanted,
                                const std::string& root) {
  auto it = image_names_.find(key);
  if (it != image_names_.end()) return it->second;
  std::string name = wanted;
  if (used_names_[to_lower(name)]++ > 0)
    name = fmt::format("{} ({})", wanted, root.empty() ? key : relative_path(key, root));
  image_names_.emplace(key, name);
  return name;
}

uint32_t Session::loc_of(XmlFile& file, const pugi::xml_node& node) {
  ptrdiff_t off = node.offset_debug();
  auto it = file.loc_ids.find(off);
  if (it != file.loc_ids.end()) return it->second;
  model::SourceLoc loc{file.path, 0, 0};
  if (off >= 0) {
    size_t at = size_t(off) > 0 && node.type() == pugi::node_element ? size_t(off) - 1 : size_t(off);
    auto [line, col] = file.lines.position(at);
    loc.line = line;
    loc.column = col;
  }
  uint32_t id = locs.add(std::move(loc));
  file.loc_ids.emplace(off, id);
  return id;
}

}  // namespace nxpool::buildfiles
