// nmake subset for WDK build files; the essay is in nmake.h.
#include "nmake.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "text_util.h"

namespace nxpool::build {

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
  return r ? expand(*r, 1) : LocStr();
}

LocStr NmakeEnv::expand(const LocStr& raw, int depth) const {
  if (depth > 32) return raw;  // a cycle; nmake would report recursion
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
  if (read_text_file(path, raw)) {
    file->readable = true;
    std::string text = decode_text(std::move(raw));
    std::vector<std::string_view> physical = split(text, '\n');
    for (size_t i = 0; i < physical.size(); ++i) {
      // Join continuation lines, remembering where each piece came from.
      struct Piece { size_t offset; int line; int column; };
      std::vector<Piece> pieces;
      std::string logical;
      int first_line = int(i + 1);
      bool command = !physical[i].empty() && (physical[i][0] == ' ' || physical[i][0] == '\t');
      while (true) {
        std::string body = strip_comment(physical[i]);
        while (!body.empty() && (body.back() == '\r' || body.back() == ' ' || body.back() == '\t'))
          body.pop_back();
        bool more = !body.empty() && body.back() == '\\' && i + 1 < physical.size();
        if (more) body.back() = ' ';
        pieces.push_back(Piece{logical.size(), int(i + 1), 1});
        logical += body;
        if (!more) break;
        ++i;
      }
      NmakeLine l;
      l.line = first_line;
      std::string_view t = trim(logical);
      l.column = int(t.empty() ? 1 : (t.data() - logical.data()) + 1);
      if (t.empty() || command) {
        l.kind = NmakeLine::Skip;
      } else if (t[0] == '!') {
        std::string_view rest = trim(t.substr(1));
        size_t e = 0;
        while (e < rest.size() && std::isalpha(static_cast<unsigned char>(rest[e]))) ++e;
        l.kind = NmakeLine::Directive;
        l.word = to_lower(rest.substr(0, e));
        l.text = std::string(trim(rest.substr(e)));
      } else {
        size_t eq = t.find('=');
        size_t colon = t.find(':');
        std::string_view name = eq == std::string_view::npos ? t : trim(t.substr(0, eq));
        if (eq != std::string_view::npos && macro_name(name) && (colon == std::string_view::npos || colon > eq)) {
          l.kind = NmakeLine::Assign;
          l.word = std::string(name);
          size_t vstart = size_t(t.data() - logical.data()) + eq + 1;
          // One origin per word: line:col of its first character.
          auto origin = [&](size_t off) {
            const Piece* p = &pieces.front();
            for (const auto& q : pieces)
              if (q.offset <= off) p = &q;
            return s_.loc_of_file(path, p->line, int(off - p->offset) + p->column);
          };
          while (vstart < logical.size() && (logical[vstart] == ' ' || logical[vstart] == '\t')) ++vstart;
          uint32_t current = origin(vstart);
          for (size_t k = vstart; k < logical.size(); ++k) {
            bool space = logical[k] == ' ' || logical[k] == '\t';
            if (!space && (k == vstart || logical[k - 1] == ' ' || logical[k - 1] == '\t'))
              current = origin(k);
            l.value.append(logical[k], current);
          }
          while (!l.value.text.empty() && (l.value.text.back() == ' ' || l.value.text.back() == '\t'))
            l.value = l.value.substr(0, l.value.text.size() - 1);
        } else if (colon != std::string_view::npos) {
          l.kind = NmakeLine::Skip;  // a rule: no macro effect
        } else {
          l.kind = NmakeLine::Bad;
        }
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
    s_.diags.error({path, 0, 0}, "cannot read file");
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
  for (const NmakeLine& l : file.lines) {
    model::SourceLoc where{path, l.line, l.column};
    auto fail = [&](std::string why) {
      s_.diags.error(where, std::move(why));
      return false;
    };
    if (l.kind == NmakeLine::Skip) continue;
    if (l.kind == NmakeLine::Bad) {
      if (!active()) continue;
      return fail("syntax error: expected NAME = value, a rule or a !directive");
    }
    if (l.kind == NmakeLine::Assign) {
      if (active()) env_.set(l.word, l.value);
      continue;
    }
    const std::string& d = l.word;
    std::string arg = l.text;
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
        std::string_view rest = arg;
        size_t e = 0;
        while (e < rest.size() && std::isalpha(static_cast<unsigned char>(rest[e]))) ++e;
        kind = to_lower(rest.substr(0, e));
        arg = std::string(trim(rest.substr(e)));
        if (kind != "if" && kind != "ifdef" && kind != "ifndef")
          return fail(fmt::format("unexpected text after !else: {}", l.text));
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
      std::string name = env_.expand(LocStr(arg, 0)).text;
      name = std::string(trim(name));
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
        std::string why;
        for (size_t at = 0; (at = arg.find("$(", at)) != std::string::npos; at += 2) {
          size_t close = arg.find(')', at);
          if (close == std::string::npos) break;
          std::string macro = arg.substr(at + 2, close - at - 2);
          if (!env_.defined(macro)) why += fmt::format("; $({}) is not defined", macro);
        }
        return fail(fmt::format("!include file \"{}\" not found{}", name, why));
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
  if (!stack.empty()) {
    s_.diags.error({path, stack.back().line, 1}, "!if without !endif");
    return false;
  }
  return true;
}

}  // namespace nxpool::build
