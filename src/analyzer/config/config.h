// `.nxpool.toml` / `.nxpool.yaml`: per-tree settings for `nxpool scan`,
// found by walking up from each scanned path (the nearest file wins; in one
// directory the TOML file wins over the YAML one). Keys (both formats):
//
//   fail-on        = "error" | "warning" | "note" | "never"
//   hvci           = true
//   baseline       = "nxpool-baseline.json"     (relative to the config file)
//   configurations = ["Release|x64"]            (the default --config)
//   exclude        = ["third_party/**", "**/*_gen.c"]   (relative to the config file)
//   help-uri       = "https://example.org/nxpool/{rule}.html"  (SARIF helpUri)
//   [rules]  NX3002 = "off" | "on" | "note" | "warning" | "error"
//
// A malformed file, an unknown key or a bad value is an input error
// (`file:line:col: error: ...`, exit status 2); the rest of the file and the
// scan still apply. Tested by tests/cli/config_test.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/compile_unit.h"

namespace nxpool::config {

enum class FailOn { Error, Warning, Note, Never };
std::optional<FailOn> parse_fail_on(std::string_view s);

struct RuleSetting {
  bool enabled = true;
  std::optional<model::Severity> severity;  // re-graded
};

struct Config {
  std::string file;  // absolute path of the config file
  std::string dir;   // its directory (absolute, no trailing slash)
  std::map<std::string, RuleSetting> rules;
  std::vector<std::string> exclude;
  std::vector<std::string> configurations;
  std::optional<std::string> baseline;  // absolute
  std::optional<bool> hvci;
  std::optional<FailOn> fail_on;
  std::optional<std::string> help_uri;
};

// A parsed document of either format, with positions (1-based).
struct Field;
struct Value {
  enum class Kind { String, Bool, Number, Array, Table, Null } kind = Kind::Null;
  std::string str;
  bool boolean = false;
  std::vector<Value> items;                          // Array
  std::vector<Field> fields;                         // Table
  std::uint32_t line = 0, column = 0;
};
struct Field {
  std::string key;
  Value value;
};

// The format readers (toml_reader.cpp, yaml_reader.cpp): the document, or
// nullopt after adding a positioned error to `diags`.
std::optional<Value> read_toml(const std::string& path, std::vector<model::InputDiagnostic>& diags);
std::optional<Value> read_yaml(const std::string& path, std::vector<model::InputDiagnostic>& diags);

// Reads and checks one file; problems go to `diags`, good keys still apply.
Config load(const std::string& path, std::vector<model::InputDiagnostic>& diags);

// The nearest .nxpool.toml / .nxpool.yaml at or above `start` (a file or directory).
std::optional<std::string> find_config(const std::string& start);

struct Loaded {
  std::vector<Config> configs;  // one per distinct file, in the order the paths found them
  std::vector<model::InputDiagnostic> diagnostics;
  // The config that governs `file` (the one in the deepest directory holding it), or null.
  const Config* config_for(const std::string& file) const;
  // The first config found (settings that are per scan: fail-on, hvci, baseline ...).
  const Config* primary() const { return configs.empty() ? nullptr : &configs.front(); }
};
Loaded load_for_paths(const std::vector<std::string>& paths);

// Glob over '/'-separated paths: `*` and `?` stay within a segment, `**`
// spans segments; a pattern with no '/' matches the last segment anywhere.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace nxpool::config
