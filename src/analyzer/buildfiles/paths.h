// Paths as Windows build files write them, resolved on a case-sensitive disk.
//
// Build files written on Windows use '\' and do not care about letter case:
// a project may list "Driver.C" for driver.c, or import "..\Build\Common.props"
// from a "build" directory. MSBuild and build.exe find those files; so must we.
// normalize_path() turns any spelling into an absolute '/'-separated path with
// "." and ".." folded lexically (as Windows does), and FileSystem::resolve()
// then walks it component by component, taking the exact name when it exists
// and otherwise the one entry whose name matches case-insensitively (the first
// in byte order when several do). Directory listings are cached for the life of
// the FileSystem object, so resolving the ~thousands of item paths of a large
// tree costs one readdir per directory.
//
// Tested by tests/buildfiles/paths_test.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nxpool::buildfiles {

// '\' -> '/', relative paths joined to `base_dir`, "."/".." and doubled
// separators folded; no trailing '/' except for "/".
std::string normalize_path(std::string_view path, std::string_view base_dir);
std::string parent_dir(std::string_view path);     // "/a/b/c.x" -> "/a/b"
std::string_view file_name(std::string_view path); // "/a/b/c.x" -> "c.x"
std::string_view file_stem(std::string_view path); // "/a/b/c.x" -> "c"
std::string_view file_ext(std::string_view path);  // "/a/b/c.x" -> ".x"
bool is_absolute_path(std::string_view path);      // "/x", "\x" or "C:\x"
bool wildcard_match(std::string_view pattern, std::string_view name);  // case-insensitive
std::string relative_path(std::string_view path, std::string_view base_dir);

// The reason given for a path refused by read confinement.
inline constexpr const char* kOutsideTree = "outside the scanned tree (allow it with --allow-read DIR)";

class FileSystem {
 public:
  struct Entry {
    std::string name;
    bool is_dir = false;
    bool is_link = false;  // a symbolic link: tree walks do not follow it (no cycles)
  };

  // Read confinement (docs/security.md, issue 10 item 1). Once roots are set,
  // a path whose real location (symlinks followed) is not inside one of them
  // does not exist for resolve(), list(), is_file(), glob() and find_upward():
  // build files cannot read, list or test anything outside the scanned tree
  // (an existence test answers false, which says nothing about the outside).
  // Callers that read a named path (imports, ReadAllText) ask outside() and
  // report it as an error.
  void set_roots(const std::vector<std::string>& roots);
  bool confined() const { return !roots_.empty(); }
  // True when roots are set and `path` (absolute) really lies outside them.
  bool outside(const std::string& path);

  // The on-disk path for `path` (already absolute/normalized), or nullopt.
  std::optional<std::string> resolve(const std::string& path);
  bool is_file(const std::string& path);
  bool is_dir(const std::string& path);
  // Sorted entries of a directory (empty when it cannot be read).
  const std::vector<Entry>& list(const std::string& dir);
  // Nearest directory at or above `start_dir` holding `name` (case-insensitive).
  std::optional<std::string> find_upward(const std::string& start_dir, std::string_view name);
  // Files matching an absolute pattern with '*', '?' (one component) and '**'
  // (any depth), case-insensitively, in sorted order.
  std::vector<std::string> glob(const std::string& pattern);

 private:
  struct Listing {
    std::vector<Entry> entries;
    std::unordered_map<std::string, size_t> exact;
    std::unordered_map<std::string, size_t> folded;  // lower-case name -> first entry
  };
  const Listing& listing(const std::string& dir);
  std::optional<std::string> resolve_raw(const std::string& path);
  std::vector<std::string> roots_;  // canonical
  std::unordered_map<std::string, bool> outside_;
  std::unordered_map<std::string, std::unique_ptr<Listing>> cache_;
  std::unordered_map<std::string, std::optional<std::string>> resolved_;
};

}  // namespace nxpool::buildfiles
