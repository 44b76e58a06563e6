// Finding, reading and checking .nxpool.toml / .nxpool.yaml. The two format
// readers turn their documents into one positioned Value tree, so the keys
// are checked once, here, whatever the format.
#include "config/config.h"

#include <filesystem>

#include "rules/registry.h"

namespace nxpool::config {
namespace fs = std::filesystem;
namespace {

struct Checker {
  const std::string& file;
  std::vector<model::InputDiagnostic>& diags;

  void error(const Value& at, const std::string& msg) {
    model::InputDiagnostic d;
    d.loc.file = file;
    d.loc.line = static_cast<int>(at.line);
    d.loc.column = static_cast<int>(at.column);
    d.severity = model::Severity::Error;
    d.message = msg;
    diags.push_back(std::move(d));
  }
  std::optional<std::string> string(const Value& v, const std::string& key) {
    if (v.kind == Value::Kind::String) return v.str;
    error(v, "'" + key + "' must be a string");
    return std::nullopt;
  }
  std::vector<std::string> strings(const Value& v, const std::string& key) {
    std::vector<std::string> out;
    if (v.kind == Value::Kind::String) return {v.str};
    if (v.kind != Value::Kind::Array) {
      error(v, "'" + key + "' must be a list of strings");
      return out;
    }
    for (const Value& i : v.items)
      if (auto s = string(i, key + "[]")) out.push_back(*s);
    return out;
  }
};

void read_rules(const Value& v, Config& c, Checker& ck) {
  if (v.kind != Value::Kind::Table) {
    ck.error(v, "'rules' must be a table of RULE = \"off\" | \"on\" | \"note\" | \"warning\" | \"error\"");
    return;
  }
  for (const auto& [id, val] : v.fields) {
    if (!rules::find_rule(id)) {
      ck.error(val, "unknown rule '" + id + "' (see `nxpool rules`)");
      continue;
    }
    RuleSetting s;
    std::string w = val.kind == Value::Kind::Bool ? (val.boolean ? "on" : "off") : val.str;
    if (val.kind != Value::Kind::String && val.kind != Value::Kind::Bool) w.clear();
    if (w == "off" || w == "disable" || w == "disabled") s.enabled = false;
    else if (w == "on" || w == "enable" || w == "enabled") s.enabled = true;
    else if (w == "note") s.severity = model::Severity::Note;
    else if (w == "warning") s.severity = model::Severity::Warning;
    else if (w == "error") s.severity = model::Severity::Error;
    else {
      ck.error(val, "rule " + id + ": expected \"off\", \"on\", \"note\", \"warning\" or \"error\"");
      continue;
    }
    c.rules[id] = s;
  }
}

}  // namespace

std::optional<FailOn> parse_fail_on(std::string_view s) {
  if (s == "error") return FailOn::Error;
  if (s == "warning") return FailOn::Warning;
  if (s == "note") return FailOn::Note;
  if (s == "never") return FailOn::Never;
  return std::nullopt;
}

Config load(const std::string& path, std::vector<model::InputDiagnostic>& diags) {
  Config c;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  c.file = abs.string();
  c.dir = abs.parent_path().string();
  bool yaml = abs.extension() == ".yaml" || abs.extension() == ".yml";
  std::optional<Value> doc = yaml ? read_yaml(path, diags) : read_toml(path, diags);
  if (!doc) return c;
  Checker ck{path, diags};
  if (doc->kind == Value::Kind::Null) return c;  // an empty file
  if (doc->kind != Value::Kind::Table) {
    ck.error(*doc, "the top level must be a table of settings");
    return c;
  }
  for (const auto& [key, v] : doc->fields) {
    if (key == "fail-on") {
      if (auto s = ck.string(v, key)) {
        if (auto f = parse_fail_on(*s)) c.fail_on = f;
        else ck.error(v, "'fail-on' must be \"error\", \"warning\", \"note\" or \"never\"");
      }
    } else if (key == "hvci") {
      if (v.kind == Value::Kind::Bool) c.hvci = v.boolean;
      else ck.error(v, "'hvci' must be true or false");
    } else if (key == "baseline") {
      if (auto s = ck.string(v, key)) c.baseline = (abs.parent_path() / *s).lexically_normal().string();
    } else if (key == "help-uri") {
      if (auto s = ck.string(v, key)) c.help_uri = *s;
    } else if (key == "configurations") {
      c.configurations = ck.strings(v, key);
    } else if (key == "exclude") {
      c.exclude = ck.strings(v, key);
    } else if (key == "rules") {
      read_rules(v, c, ck);
    } else {
      ck.error(v, "unknown setting '" + key +
                      "' (known: fail-on, hvci, baseline, configurations, exclude, help-uri, rules)");
    }
  }
  return c;
}

std::optional<std::string> find_config(const std::string& start) {
  std::error_code ec;
  fs::path p = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (;;) {
    for (const char* name : {".nxpool.toml", ".nxpool.yaml", ".nxpool.yml"})
      if (fs::is_regular_file(p / name, ec)) return (p / name).string();
    if (p == p.parent_path() || p.empty()) return std::nullopt;
    p = p.parent_path();
  }
}

Loaded load_for_paths(const std::vector<std::string>& paths) {
  Loaded out;
  for (const std::string& p : paths) {
    std::optional<std::string> f = find_config(p);
    if (!f) continue;
    bool seen = false;
    for (const Config& c : out.configs) seen = seen || c.file == *f;
    if (!seen) out.configs.push_back(load(*f, out.diagnostics));
  }
  return out;
}

const Config* Loaded::config_for(const std::string& file) const {
  std::error_code ec;
  fs::path abs = fs::absolute(file, ec).lexically_normal();
  const Config* best = nullptr;
  for (const Config& c : configs) {
    fs::path rel = abs.lexically_relative(c.dir);
    if (rel.empty() || *rel.begin() == "..") continue;
    if (!best || c.dir.size() > best->dir.size()) best = &c;
  }
  return best;
}

namespace {
bool match_here(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.substr(0, 2) == "**") {
      std::string_view rest = p.substr(2);
      if (!rest.empty() && rest[0] == '/') {
        // "**/x" matches "x" and "a/b/x"
        if (match_here(rest.substr(1), s)) return true;
      }
      for (std::size_t i = 0; i <= s.size(); ++i)
        if (match_here(rest, s.substr(i))) return true;
      return false;
    }
    if (p[0] == '*') {
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (match_here(p.substr(1), s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') break;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p[0] == '?' ? s[0] == '/' : p[0] != s[0]) return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  std::string pat(pattern);
  if (pat.rfind("./", 0) == 0) pat.erase(0, 2);
  while (!pat.empty() && pat.back() == '/') pat.pop_back();
  if (pat.find('/') == std::string::npos) pat = "**/" + pat;
  // The path itself, or any directory above it (an excluded directory excludes its files).
  if (match_here(pat, path)) return true;
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i] == '/' && match_here(pat, path.substr(0, i))) return true;
  return false;
}

}  // namespace nxpool::config
