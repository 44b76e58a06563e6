// Property expansion and property functions for the MSBuild reader. The
// essay is in msbuild_expand.h. Paths in values use '/', directories that
// MSBuild ends with '\' end with '/', so "$(MSBuildThisFileDirectory)..\inc"
// still normalizes to the right directory.
//
// Tested by tests/buildfiles/msbuild_expand_test.cpp.
#include "msbuild_expand.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "text_util.h"

namespace nxpool::buildfiles {

const PropEntry* PropertyTable::find(std::string_view name) const {
  auto it = map_.find(to_lower(name));
  return it == map_.end() ? nullptr : &it->second;
}

void PropertyTable::set(std::string_view name, LocStr value, bool global) {
  std::string key = to_lower(name);
  auto it = map_.find(key);
  if (it != map_.end()) {
    if (it->second.global && !global) return;
    it->second.value = std::move(value);
    it->second.global = global;
    return;
  }
  map_.emplace(std::move(key), PropEntry{std::string(name), std::move(value), global});
}

size_t match_paren(std::string_view s, size_t open) {
  int depth = 0;
  char quote = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return i;
    }
  }
  return std::string_view::npos;
}

// An environment variable MSBuild would expose as $(name), only when the
// allowlist names it (a CI has secrets in its environment).
static const char* allowed_env(const std::vector<std::string>* allow, std::string_view name) {
  if (!allow) return nullptr;
  for (const std::string& a : *allow)
    if (iequals(a, name)) return std::getenv(a.c_str());
  return nullptr;
}

bool Expander::refuse_outside(const std::string& path, std::string_view what, uint32_t loc) {
  if (!fs_.outside(path)) return false;
  diags_.error(locs_.get(loc), fmt::format("{} of '{}': {}; it expands to nothing", what, path,
                                           kOutsideTree));
  return true;
}

Expander::Expander(PropertyTable& props, FileSystem& fs, LocTable& locs, DiagSink& diags,
                   std::string project_path)
    : props_(props), fs_(fs), locs_(locs), diags_(diags),
      project_path_(std::move(project_path)), project_dir_(parent_dir(project_path_)),
      this_file_(project_path_) {}

std::string Expander::to_path(std::string_view p) const {
  return normalize_path(trim(p), project_dir_);
}

// Directory-valued properties end with '\' as on Windows, so tests such as
// $(MSBuildThisFileDirectory.EndsWith('\')) hold; every consumer of a path
// normalizes '\' anyway.
static std::string with_slash(std::string dir) {
  if (dir.empty() || (dir.back() != '/' && dir.back() != '\\')) dir += '\\';
  return dir;
}

static std::string no_root(const std::string& dir) {
  return dir.size() > 1 && dir[0] == '/' ? dir.substr(1) : dir;
}

bool Expander::reserved(std::string_view ln, LocStr& out, uint32_t loc) const {
  if (ln.substr(0, 15) != "msbuildthisfile") return false;
  std::string_view rest = ln.substr(15);
  std::string v;
  if (rest.empty()) v = std::string(file_name(this_file_));
  else if (rest == "directory") v = with_slash(parent_dir(this_file_));
  else if (rest == "directorynoroot") v = no_root(with_slash(parent_dir(this_file_)));
  else if (rest == "extension") v = std::string(file_ext(this_file_));
  else if (rest == "fullpath") v = this_file_;
  else if (rest == "name") v = std::string(file_stem(this_file_));
  else return false;
  out = LocStr(v, loc);
  return true;
}

LocStr Expander::expand(std::string_view text, uint32_t loc) {
  LocStr out;
  // Property functions nest through their arguments; bound it so no input
  // can exhaust the stack.
  if (depth_ > 100) {
    diags_.warning(locs_.get(loc), "property expression nested too deeply; expands to nothing");
    return out;
  }
  struct Leave {
    int& d;
    ~Leave() { --d; }
  } leave{++depth_};
  auto over_budget = [&] {
    if (out.text.size() <= kMaxPropertyValue) return false;
    diags_.error(locs_.get(loc), fmt::format("property expansion exceeds the {} byte budget; it "
                                             "expands to nothing", kMaxPropertyValue));
    out = LocStr();
    return true;
  };
  size_t i = 0;
  while (i < text.size()) {
    if (over_budget()) return out;
    size_t special = text.find_first_of("$%@", i);
    if (special == std::string_view::npos) {
      out.append(text.substr(i), loc);
      break;
    }
    if (special + 1 >= text.size() || text[special + 1] != '(') {
      out.append(text.substr(i, special + 1 - i), loc);
      i = special + 1;
      continue;
    }
    out.append(text.substr(i, special - i), loc);
    size_t close = match_paren(text, special + 1);
    if (close == std::string_view::npos) {
      diags_.warning(locs_.get(loc), fmt::format("unterminated '{}(' in \"{}\"", text[special], text));
      out.append(text.substr(special), loc);
      break;
    }
    std::string_view body = text.substr(special + 2, close - special - 2);
    char kind = text[special];
    if (kind == '$') {
      out.append(expand_reference(body, loc));
    } else if (kind == '%') {
      if (!meta_) {
        out.append(text.substr(special, close + 1 - special), loc);  // stays literal
      } else {
        std::string_view name = trim(body);
        if (size_t dot = name.find('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
        std::string ln = to_lower(name);
        auto it = meta_->find(ln);
        if (it != meta_->end()) {
          out.append(it->second.value);
        } else if (ln == "identity") {
          out.append(identity_, loc);
        } else if (ln == "filename") {
          out.append(file_stem(identity_), loc);
        } else if (ln == "extension") {
          out.append(file_ext(identity_), loc);
        } else if (ln == "fullpath") {
          out.append(to_path(identity_), loc);
        } else if (ln == "relativedir") {
          std::string_view id = identity_;
          size_t slash = id.find_last_of("/\\");
          out.append(slash == std::string_view::npos ? std::string_view() : id.substr(0, slash + 1), loc);
        }
      }
    } else {
      std::string_view type = trim(body);
      bool plain = !type.empty() && std::all_of(type.begin(), type.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
      });
      if (!items_ || !plain) {
        diags_.warning(locs_.get(loc),
                       fmt::format("item list @({}) is not supported here; it expands to nothing",
                                   body));
      } else if (auto it = items_->find(to_lower(type)); it != items_->end()) {
        bool first = true;
        auto add = [&](std::string_view id) {
          if (!first) out.append(';', loc);
          out.append(id, loc);
          first = false;
        };
        for (const std::string& id : it->second) {
          if (id.find_first_of("*?") == std::string::npos) {
            add(id);
            continue;
          }
          for (const auto& m : fs_.glob(to_path(id))) add(relative_path(m, project_dir_));
        }
      }
    }
    i = close + 1;
  }
  over_budget();
  return out;
}

static bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::vector<std::string> Expander::parse_args(std::string_view text, uint32_t loc) {
  std::vector<std::string> out;
  if (trim(text).empty()) return out;
  size_t start = 0;
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (quote) {
      if (c == quote) quote = 0;
      if (i < text.size()) continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == ',' && depth == 0) {
      std::string_view arg = trim(text.substr(start, i - start));
      if (arg.size() >= 2 && (arg[0] == '\'' || arg[0] == '"' || arg[0] == '`') &&
          arg.back() == arg[0])
        arg = arg.substr(1, arg.size() - 2);
      out.push_back(expand_plain(arg, loc));
      start = i + 1;
    }
  }
  return out;
}

LocStr Expander::expand_reference(std::string_view body, uint32_t loc) {
  body = trim(body);
  auto unsupported = [&](std::string_view why) {
    diags_.warning(locs_.get(loc),
                   fmt::format("unsupported property expression $({}): {}; it expands to nothing",
                               body, why));
    return LocStr();
  };
  LocStr value;
  std::string_view rest;
  bool derived = false;
  if (!body.empty() && body[0] == '[') {
    size_t close = body.find("]::");
    if (close == std::string_view::npos) return unsupported("expected [Type]::Member");
    std::string_view type = body.substr(1, close - 1);
    size_t m = close + 3, e = m;
    while (e < body.size() && is_ident_char(body[e])) ++e;
    std::string_view method = body.substr(m, e - m);
    std::vector<std::string> args;
    if (e < body.size() && body[e] == '(') {
      size_t pe = match_paren(body, e);
      if (pe == std::string_view::npos) return unsupported("unbalanced parentheses");
      args = parse_args(body.substr(e + 1, pe - e - 1), loc);
      e = pe + 1;
    }
    bool ok = true;
    std::string r = call_static(type, method, args, loc, ok);
    if (!ok) return unsupported(fmt::format("[{}]::{} is not supported", type, method));
    value = LocStr(r, loc);
    derived = true;
    rest = body.substr(e);
  } else {
    size_t e = 0;
    while (e < body.size() && is_ident_char(body[e])) ++e;
    std::string_view name = body.substr(0, e);
    if (istarts_with(body, "Registry:")) return unsupported("registry lookups are not supported");
    if (name.empty() || (e < body.size() && body[e] != '.' && body[e] != ' '))
      return unsupported("not a property reference");
    std::string ln = to_lower(name);
    if (!reserved(ln, value, loc)) {
      if (const PropEntry* p = props_.find(name)) {
        value = p->value;
      } else if (const char* env = allowed_env(allow_env_, name)) {
        value = LocStr(env, loc);
      } else {
        undefined_.push_back(std::string(name));
      }
    }
    if (ln == "solutiondir") solution_dir_used_ = true;
    rest = trim(body.substr(e));
  }
  while (!rest.empty()) {
    if (rest[0] != '.') return unsupported("unexpected text after the value");
    size_t e = 1;
    while (e < rest.size() && is_ident_char(rest[e])) ++e;
    std::string_view method = rest.substr(1, e - 1);
    std::vector<std::string> args;
    bool has_args = false;
    if (e < rest.size() && rest[e] == '(') {
      size_t pe = match_paren(rest, e);
      if (pe == std::string_view::npos) return unsupported("unbalanced parentheses");
      args = parse_args(rest.substr(e + 1, pe - e - 1), loc);
      has_args = true;
      e = pe + 1;
    }
    bool ok = true;
    std::string r;
    if (iequals(method, "Split") && has_args && e < rest.size() && rest[e] == '[') {
      // Split(…)[n]: the one array use trees have (VisualStudioVersion.Split('.')[0]).
      size_t close = rest.find(']', e);
      if (close == std::string_view::npos) return unsupported("unbalanced brackets");
      std::string index_text = expand_plain(rest.substr(e + 1, close - e - 1), loc);
      char* end = nullptr;
      long index = std::strtol(index_text.c_str(), &end, 10);
      if (index_text.empty() || *end != '\0' || index < 0) return unsupported("bad array index");
      std::string seps;
      for (const auto& a : args) seps.append(a);
      std::string_view sepv = seps.empty() ? std::string_view(" ") : std::string_view(seps);
      std::vector<std::string> parts(1);
      for (char ch : value.text) {
        if (sepv.find(ch) != std::string_view::npos) parts.emplace_back();
        else parts.back() += ch;
      }
      r = size_t(index) < parts.size() ? parts[size_t(index)] : "";
      e = close + 1;
    } else {
      r = call_method(value.text, method, args, has_args, loc, ok);
    }
    if (!ok) return unsupported(fmt::format("string method {} is not supported", method));
    value = LocStr(r, loc);
    derived = true;
    rest = trim(rest.substr(e));
  }
  (void)derived;
  return value;
}

}  // namespace nxpool::buildfiles
