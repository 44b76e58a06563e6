// nmake subset for WDK build files; the essay is in nmake.h.
#include "nmake.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "text_util.h"

namespace nxpool::buildfiles {

void NmakeEnv::set(const std::string& name, LocStr raw) {
  // A self-reference splices the current value in now.
  std::string self = "$(" + name + ")";
  if (raw.text.find(self) != std::string::npos) {
    LocStr old = macros_.count(name) ? macros_.at(name) : LocStr();
    LocStr out;
    size_t i = 0;
    for (size_t at; (at = raw.text.find(self, i)) != std::string::npos; i = at + self.size()) {
      out.append(raw.substr(i, at));
      out.append(old);
    }
    out.append(raw.substr(i, raw.text.size()));
    raw = std::move(out);
  }
  macros_[name] = std::move(raw);
}

const LocStr* NmakeEnv::raw(const std::string& name) const {
  auto it = macros_.find(name);
  return it == macros_.end() ? nullptr : &it->second;
}

LocStr NmakeEnv::expand_macro(const std::string& name) const {
  const LocStr* r = raw(name);
  work_ = 0;
  return r ? expand(*r, 1) : LocStr();
}

void NmakeEnv::undefined_in(const std::string& text, std::vector<std::string>& out,
                            int depth) const {
  if (depth > 32) return;
  if (depth == 0) work_ = 0;
  if ((work_ += text.size() + 1) > kMaxNmakeWork) {
    over_budget_ = true;
    return;
  }
  for (size_t at = 0; (at = text.find("$(", at)) != std::string::npos; at += 2) {
    size_t close = text.find(')', at);
    if (close == std::string::npos) break;
    std::string name = text.substr(at + 2, close - at - 2);
    name = name.substr(0, name.find(':'));
    if (const LocStr* r = raw(name)) undefined_in(r->text, out, depth + 1);
    else out.push_back(name);
  }
}

LocStr NmakeEnv::expand(const LocStr& raw, int depth) const {
  if (depth > 32) return raw;  // a cycle; nmake would report recursion
  if (depth == 0) work_ = 0;
  if ((work_ += raw.text.size() + 1) > kMaxNmakeWork || over_budget_) {
    over_budget_ = true;
    return LocStr();
  }
  LocStr out;
  const std::string& t = raw.text;
  size_t i = 0;
  while (i < t.size()) {
    size_t d = t.find('$', i);
    if (d == std::string::npos || d + 1 >= t.size()) {
      out.append(raw.substr(i, t.size()));
      break;
    }
    out.append(raw.substr(i, d));
    if (t[d + 1] == '$') {
      out.append(raw.substr(d, d + 1));
      i = d + 2;
      continue;
    }
    if (t[d + 1] != '(') {
      out.append(raw.substr(d, d + 2));  // $@ and friends: rule macros, kept literal
      i = d + 2;
      continue;
    }
    size_t close = t.find(')', d + 2);
    if (close == std::string::npos) {
      out.append(raw.substr(d, t.size()));
      break;
    }
    std::string body = t.substr(d + 2, close - d - 2);
    size_t colon = body.find(':');
    std::string name = body.substr(0, colon);
    LocStr value;
    if (const LocStr* r = this->raw(name)) value = expand(*r, depth + 1);
    if (colon != std::string::npos) {
      std::string sub = body.substr(colon + 1);
      size_t eq = sub.find('=');
      if (eq != std::string::npos && eq > 0) {
        std::string from = sub.substr(0, eq), to = sub.substr(eq + 1);
        LocStr replaced;
        size_t j = 0;
        for (size_t at; (at = value.text.find(from, j)) != std::string::npos; j = at + from.size()) {
          replaced.append(value.substr(j, at));
          replaced.append(to, value.loc_at(at, 0));
        }
        replaced.append(value.substr(j, value.text.size()));
        value = std::move(replaced);
      }
    }
    out.append(value);
    i = close + 1;
  }
  if (over_budget_ || out.text.size() > kMaxNmakeValue) {
    over_budget_ = true;
    return LocStr();
  }
  return out;
}

namespace {

// Removes a comment ('#' not escaped by '^') and turns "^#" into "#".
std::string strip_comment(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '^' && i + 1 < line.size() && line[i + 1] == '#') {
      out += '#';
      ++i;
    } else if (line[i] == '#') {
      break;
    } else {
      out += line[i];
    }
  }
  return out;
}

bool macro_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return true;
}

}  // namespace

const NmakeFile& NmakeReader::load(const std::string& path) {
  auto it = cache_.find(path);
  if (it != cache_.end()) return *it->second;
  auto file = std::make_shared<NmakeFile>();
  std::string raw;
  if (s_.fs.outside(path)) {
    file->why = kOutsideTree;
  } else if (read_text_file(path, raw, &file->why)) {
    file->readable = true;
    std::string text = decode_text(std::move(raw));
    std::vector<std::string_view> physical = split(text, '\n');
    if (!physical.empty() && physical.back().empty()) physical.pop_back();
    for (size_t i = 0; i < physical.size(); ++i) {
      NmakeLine l;
      l.line = int(i + 1);
      std::string body = strip_comment(physical[i]);
      while (!body.empty() && (body.back() == '\r' || body.back() == ' ' || body.back() == '\t'))
        body.pop_back();
      if (!body.empty() && body.back() == '\\') {
        l.continued = true;
        body.pop_back();
      }
      size_t first = body.find_first_not_of(" \t");
      if (first == std::string::npos) first = body.size();
      l.indent = int(first);
      l.command = first > 0 && first < body.size();
      l.directive = first < body.size() && body[first] == '!';
      while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.pop_back();
      // One origin per word: line:col of its first character.
      uint32_t current = 0;
      for (size_t k = first; k < body.size(); ++k) {
        bool space = body[k] == ' ' || body[k] == '\t';
        // A word starts after a blank, and after the '=' of NAME=value.
        if (!space && (k == first || body[k - 1] == ' ' || body[k - 1] == '\t' ||
                       (body[k - 1] == '=' && body.find('=', first) == k - 1)))
          current = s_.loc_of_file(path, l.line, int(k + 1));
        l.body.append(body[k], current);
      }
      file->lines.push_back(std::move(l));
    }
  }
  return *cache_.emplace(path, std::move(file)).first->second;
}

NmakeOutcome NmakeReader::process(const std::string& path) {
  NmakeOutcome out;
  out.ok = process_file(path, 0, out);
  return out;
}

bool NmakeReader::process_file(const std::string& path, int depth, NmakeOutcome& out) {
  const NmakeFile& file = load(path);
  if (!file.readable) {
    s_.diags.error({path, 0, 0}, "cannot read file: " + file.why);
    return false;
  }
  struct Cond {
    bool parent;  // enclosing branch active
    bool taken;   // some branch of this !if already chosen
    bool active;
    int line;
  };
  std::vector<Cond> stack;
  auto active = [&] { return stack.empty() || stack.back().active; };
  // The logical line being assembled across continuations.
  bool pending = false;
  bool pending_active = false;
  LocStr logical;
  int logical_line = 0, logical_col = 1;

  auto finish_logical = [&]() -> bool {
    pending = false;
    if (!pending_active) return true;
    model::SourceLoc where{path, logical_line, logical_col};
    const std::string& t = logical.text;
    size_t eq = t.find('='), colon = t.find(':');
    std::string_view name = eq == std::string::npos ? std::string_view(t)
                                                    : trim(std::string_view(t).substr(0, eq));
    if (eq != std::string::npos && macro_name(name) && (colon == std::string::npos || colon > eq)) {
      size_t v = eq + 1;
      while (v < t.size() && (t[v] == ' ' || t[v] == '\t')) ++v;
      env_.set(std::string(name), logical.substr(v, t.size()));
      return true;
    }
    if (colon != std::string::npos) return true;  // a rule: no macro effect
    s_.diags.error(where, "syntax error: expected NAME = value, a rule or a !directive");
    return false;
  };

  for (const NmakeLine& l : file.lines) {
    model::SourceLoc where{path, l.line, l.indent + 1};
    auto fail = [&](std::string why) {
      s_.diags.error(where, std::move(why));
      return false;
    };
    if (!l.directive) {
      if (pending) {
        if (active() && !l.body.text.empty()) {
          logical.append(' ', 0);
          logical.append(l.body);
        }
        if (!l.continued && !finish_logical()) return false;
        continue;
      }
      if (l.body.text.empty() || l.command) continue;  // blank, or a rule's command
      pending = true;
      pending_active = active();
      logical = l.body;
      logical_line = l.line;
      logical_col = l.indent + 1;
      if (!l.continued && !finish_logical()) return false;
      continue;
    }
    std::string_view rest = trim(std::string_view(l.body.text).substr(1));
    size_t e = 0;
    while (e < rest.size() && std::isalpha(static_cast<unsigned char>(rest[e]))) ++e;
    std::string d = to_lower(rest.substr(0, e));
    std::string arg(trim(rest.substr(e)));
    auto cond_value = [&](const std::string& kind, const std::string& a, bool& ok) -> bool {
      ok = true;
      if (kind == "ifdef") return env_.defined(std::string(trim(a)));
      if (kind == "ifndef") return !env_.defined(std::string(trim(a)));
      return evaluate(a, where, ok) != 0;
    };
    if (d == "if" || d == "ifdef" || d == "ifndef") {
      bool ok = true;
      bool parent = active();
      bool v = parent ? cond_value(d, arg, ok) : false;
      if (!ok) return false;
      stack.push_back(Cond{parent, v, parent && v, l.line});
    } else if (d == "else" || d == "elseif" || d == "elseifdef" || d == "elseifndef") {
      if (stack.empty()) return fail(fmt::format("!{} without !if", d));
      std::string kind = d == "else" ? "" : "if" + d.substr(6);
      if (d == "else" && !arg.empty()) {
        // "!else if …", "!else ifdef …"
        std::string_view r = arg;
        size_t k = 0;
        while (k < r.size() && std::isalpha(static_cast<unsigned char>(r[k]))) ++k;
        kind = to_lower(r.substr(0, k));
        arg = std::string(trim(r.substr(k)));
        if (kind != "if" && kind != "ifdef" && kind != "ifndef")
          return fail(fmt::format("unexpected text after !else: {}", rest.substr(e)));
      }
      Cond& c = stack.back();
      if (c.taken || !c.parent) {
        c.active = false;
      } else if (kind.empty()) {
        c.active = c.taken = true;
      } else {
        bool ok = true;
        bool v = cond_value(kind, arg, ok);
        if (!ok) return false;
        c.active = v;
        c.taken = v;
      }
    } else if (d == "endif") {
      if (stack.empty()) return fail("!endif without !if");
      stack.pop_back();
    } else if (!active()) {
      continue;
    } else if (d == "include") {
      std::string name(trim(env_.expand(LocStr(arg, 0)).text));
      if (name.size() >= 2 && ((name[0] == '<' && name.back() == '>') ||
                               (name[0] == '"' && name.back() == '"')))
        name = name.substr(1, name.size() - 2);
      if (depth >= 16) return fail("!include nested too deeply");
      std::optional<std::string> real;
      for (const std::string& base : {parent_dir(path), cwd_}) {
        real = s_.fs.resolve(normalize_path(name, base));
        if (real && s_.fs.is_file(*real)) break;
        real.reset();
      }
      if (!real) {
        std::vector<std::string> undefined;
        env_.undefined_in(arg, undefined);
        if (!undefined.empty()) {
          // A file of the build environment (razzle, BASEDIR, NTMAKEENV …) that
          // is not here: like the MSBuild toolset, skipped, but said.
          s_.diags.warning(where, fmt::format("!include \"{}\" skipped: $({}) is set by the build "
                                              "environment, not defined here",
                                              arg, undefined.front()));
          continue;
        }
        return fail(fmt::format("!include file \"{}\" not found", name));
      }
      if (!process_file(*real, depth + 1, out)) return false;
      if (out.error) return true;
    } else if (d == "undef") {
      env_.undef(std::string(trim(arg)));
    } else if (d == "error") {
      out.error = env_.expand(LocStr(arg, 0)).text;
      return true;
    } else if (d == "message" || d == "cmdswitches") {
    } else {
      return fail(fmt::format("unknown directive !{}", d));
    }
  }
  if (pending && !finish_logical()) return false;
  if (!stack.empty()) {
    s_.diags.error({path, stack.back().line, 1}, "!if without !endif");
    return false;
  }
  return true;
}

}  // namespace nxpool::buildfiles
