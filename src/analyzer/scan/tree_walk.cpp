// See tree_walk.h. Tested by tests/hostile/ (case10_*).
#include "scan/tree_walk.h"

#include <filesystem>

#include "pp/file_cache.h"
#include "scan/scanner.h"

namespace nxpool::scan {
namespace {

model::InputDiagnostic diag(const std::string& file, int, int, model::Severity sev, std::string msg) {
  model::InputDiagnostic d;
  d.loc.file = file;
  d.severity = sev;
  d.message = std::move(msg);
  return d;
}

}  // namespace

void walk_tree(const std::string& root, std::vector<std::string>& found,
               std::vector<model::InputDiagnostic>& diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path canon_root = fs::weakly_canonical(root, ec);
  std::vector<fs::path> stack{fs::path(root)};
  while (!stack.empty()) {
    fs::path dir = std::move(stack.back());
    stack.pop_back();
    fs::directory_iterator it(dir, ec), end;
    if (ec) {
      diags.push_back(diag(pp::display_path(dir.lexically_normal().generic_string()), 0, 0,
                                 model::Severity::Error, "cannot read directory: " + ec.message()));
      continue;
    }
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::error_code e2;
      fs::file_status ls = it->symlink_status(e2);
      if (fs::is_directory(ls)) {
        if (!name.empty() && name[0] != '.') stack.push_back(it->path());
        continue;
      }
      std::string path = it->path().lexically_normal().generic_string();
      if (fs::is_symlink(ls)) {
        fs::path target = fs::canonical(it->path(), e2);
        if (e2) {
          diags.push_back(diag(pp::display_path(path), 0, 0, model::Severity::Error,
                                     "cannot follow symbolic link: " + e2.message()));
          continue;
        }
        auto rel = target.lexically_relative(canon_root);
        if (rel.empty() || *rel.begin() == "..") {
          if (is_source_extension(path) || is_header_extension(path))
            diags.push_back(diag(pp::display_path(path), 0, 0, model::Severity::Error,
                                       "symbolic link leads outside the scanned tree; not read"));
          continue;
        }
      }
      if (it->is_regular_file(e2)) found.push_back(path);
    }
    if (ec)
      diags.push_back(diag(pp::display_path(dir.lexically_normal().generic_string()), 0, 0,
                                 model::Severity::Error, "cannot read directory: " + ec.message()));
  }
}

}  // namespace nxpool::scan
