// State shared by every build file read in one call of the public API:
// the case-insensitive file system view, parsed XML files (each .props is
// parsed once however many projects and configurations import it), the origin
// table, and the diagnostics.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <pugixml.hpp>

#include "diag_sink.h"
#include "located.h"
#include "paths.h"
#include "text_util.h"

namespace nxpool::buildfiles {

struct XmlFile {
  std::string path;
  pugi::xml_document doc;
  LineTable lines;
  bool ok = false;
  model::SourceLoc error_loc;
  std::string error;
  std::unordered_map<ptrdiff_t, uint32_t> loc_ids;  // element offset -> LocTable id
};

class Session {
 public:
  Session() { locs.add(model::SourceLoc{"<unknown>", 0, 0}); }  // id 0: no origin
  FileSystem fs;
  LocTable locs;
  DiagSink diags;
  std::vector<std::string> allow_env;  // --allow-env: readable as $(NAME)

  // Parsed once per path; a file that cannot be read or parsed comes back with
  // ok == false and error/error_loc set (the caller decides how to report it).
  std::shared_ptr<XmlFile> xml(const std::string& path);
  // Drops the parsed copy of `path` (a project read to the end: only .props
  // and .targets are shared between projects), so memory follows the
  // projects being read, not the tree. A later xml(path) parses it again.
  void forget_xml(const std::string& path) { xml_.erase(path); }
  // Origin id of an element: its '<' as file:line:col.
  uint32_t loc_of(XmlFile& file, const pugi::xml_node& node);
  // One image name per build file (project, sources directory) across every
  // reader of the session; a clash gets the file's path relative to `root`.
  std::string image_name(const std::string& key, const std::string& wanted,
                         const std::string& root);
  uint32_t loc_of_file(const std::string& path, int line = 0, int column = 0) {
    return locs.add(model::SourceLoc{path, line, column});
  }

 private:
  std::unordered_map<std::string, std::shared_ptr<XmlFile>> xml_;
  std::unordered_map<std::string, std::string> image_names_;  // key -> name
  std::unordered_map<std::string, int> used_names_;           // lower-case name
};

}  // namespace nxpool::buildfiles
