// MSBuild property expansion and condition evaluation.
//
// Expansion handles $(Name), the reserved MSBuild* properties, property
// functions (instance methods on strings such as EndsWith/StartsWith/Contains/
// Replace/Substring/ToLower/Trim…, and static ones: [MSBuild]::
// GetDirectoryNameOfFileAbove, GetPathOfFileAbove, NormalizeDirectory,
// NormalizePath, EnsureTrailingSlash, ValueOrDefault, MakeRelative, Version*,
// IsOSPlatform; [System.IO.Path]::Combine/GetFullPath/GetDirectoryName/
// GetFileName…; [System.IO.File]::Exists; [System.IO.Directory]::Exists;
// [System.String]::IsNullOrEmpty/IsNullOrWhiteSpace/Copy/Concat), and
// %(Metadata) when an item is being evaluated. Anything else is reported as a
// warning at the element that used it and expands to the empty string — never
// a silent guess. Conditions follow MSBuild's grammar: or < and < !, with
// ==, !=, <, >, <=, >= (case-insensitive strings, numbers when both sides are
// numeric), parentheses, Exists() and HasTrailingSlash().
//
// Tested by tests/buildfiles/msbuild_expand_test.cpp and the msbuild_* fixtures.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "diag_sink.h"
#include "located.h"
#include "paths.h"

namespace nxpool::buildfiles {

struct PropEntry {
  std::string name;
  LocStr value;
  bool global = false;  // Configuration/Platform/SolutionDir given from outside
};

class PropertyTable {
 public:
  const PropEntry* find(std::string_view name) const;
  // Global properties cannot be overwritten by the project (MSBuild rule).
  void set(std::string_view name, LocStr value, bool global = false);

 private:
  std::unordered_map<std::string, PropEntry> map_;  // lower-case name -> entry
};

struct MetaEntry {
  std::string name;
  LocStr value;
};
using MetadataMap = std::unordered_map<std::string, MetaEntry>;  // lower-case keys

class Expander {
 public:
  Expander(PropertyTable& props, FileSystem& fs, LocTable& locs, DiagSink& diags,
           std::string project_path);

  // The file whose element is evaluated: drives $(MSBuildThisFile*).
  void set_this_file(const std::string& path) { this_file_ = path; }
  const std::string& this_file() const { return this_file_; }
  // @(Type) source: identities of the items evaluated so far, per lower-case type.
  using ItemTable = std::unordered_map<std::string, std::vector<std::string>>;
  void set_items(const ItemTable* items) { items_ = items; }
  // %(Name) source while evaluating item metadata; null elsewhere.
  void set_metadata(const MetadataMap* meta, std::string_view identity) {
    meta_ = meta;
    identity_ = identity;
  }

  LocStr expand(std::string_view text, uint32_t loc);
  std::string expand_plain(std::string_view text, uint32_t loc) { return expand(text, loc).text; }
  // Malformed conditions are reported at `loc` and evaluate to false.
  bool condition(std::string_view text, uint32_t loc, const std::string& relative_base);

  // Property names referenced while undefined since the last call.
  std::vector<std::string> take_undefined() { return std::exchange(undefined_, {}); }
  bool solution_dir_used() const { return solution_dir_used_; }
  const std::string& project_dir() const { return project_dir_; }
  PropertyTable& properties() { return props_; }
  FileSystem& fs() { return fs_; }
  LocTable& locs() { return locs_; }
  DiagSink& diags() { return diags_; }

  // Shared by the condition evaluator.
  LocStr expand_reference(std::string_view body, uint32_t loc);
  std::string call_static(std::string_view type, std::string_view method,
                          const std::vector<std::string>& args, uint32_t loc, bool& ok);
  std::string call_method(const std::string& self, std::string_view method,
                          const std::vector<std::string>& args, bool has_args, uint32_t loc,
                          bool& ok);
  std::vector<std::string> parse_args(std::string_view text, uint32_t loc);
  std::string to_path(std::string_view p) const;  // Windows spelling -> absolute '/' path
  // Read confinement: true (and an error at `loc`) when `path` lies outside
  // the scanned tree; `what` names the construct ("[System.IO.File]::ReadAllText").
  bool refuse_outside(const std::string& path, std::string_view what, uint32_t loc);
  // Environment variables readable as $(NAME) when the project does not
  // define NAME (--allow-env NAME); none by default.
  void set_env_allowlist(const std::vector<std::string>* names) { allow_env_ = names; }
  static std::string with_trailing(std::string dir);

 private:
  bool reserved(std::string_view lname, LocStr& out, uint32_t loc) const;

  PropertyTable& props_;
  FileSystem& fs_;
  LocTable& locs_;
  DiagSink& diags_;
  std::string project_path_, project_dir_;
  std::string this_file_;
  const MetadataMap* meta_ = nullptr;
  const ItemTable* items_ = nullptr;
  std::string_view identity_;
  std::vector<std::string> undefined_;
  bool solution_dir_used_ = false;
  int depth_ = 0;
  const std::vector<std::string>* allow_env_ = nullptr;
};

// Scans a balanced "(...)" starting at text[open] == '('; returns the index of
// the matching ')' or npos. Quotes ('"`) hide parentheses.
size_t match_paren(std::string_view text, size_t open);

// Expansion budget: no property value or function result grows past this
// many bytes (property doubling, Replace bombs); the excess is an error at
// the element and the value is empty.
inline constexpr size_t kMaxPropertyValue = 1u << 20;

}  // namespace nxpool::buildfiles
