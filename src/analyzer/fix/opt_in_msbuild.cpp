// The opt-in in MSBuild files, edited as text so every byte outside the
// edit stays as written (indentation, attribute quoting, line endings,
// BOM are the file's own). A small tag scanner, not a parser: it knows
// comments, quoted attribute values and element nesting, which is all the
// ItemDefinitionGroup > ClCompile > PreprocessorDefinitions path needs.
//
// Every configuration must get the definition: an unconditional
// ItemDefinitionGroup with ClCompile covers them all; otherwise each
// ProjectConfiguration (Include="Debug|x64") must be named by the Condition
// of a group that has ClCompile. A project where some configuration has no
// such group is not edited (the caller says so): a half-opted-in project
// gives different modes per configuration, which is worse than none.
// Tested by tests/fix/opt_in_test.cpp.
#include <algorithm>
#include <cctype>

#include "fix/opt_in.h"

namespace nxpool::fix {
namespace {

struct Tag {
  std::size_t begin = 0, end = 0;  // '<' .. one past '>'
  std::string name;
  bool closing = false, self_closing = false;
};

// Every tag in `t`, skipping comments, processing instructions and CDATA.
std::vector<Tag> tags(const std::string& t) {
  std::vector<Tag> out;
  for (std::size_t i = t.find('<'); i != std::string::npos; i = t.find('<', i)) {
    if (t.compare(i, 4, "<!--") == 0) {
      std::size_t e = t.find("-->", i + 4);
      if (e == std::string::npos) break;
      i = e + 3;
      continue;
    }
    if (t.compare(i, 2, "<?") == 0 || t.compare(i, 2, "<!") == 0) {
      std::size_t e = t.find('>', i);
      if (e == std::string::npos) break;
      i = e + 1;
      continue;
    }
    Tag g;
    g.begin = i;
    std::size_t j = i + 1;
    if (j < t.size() && t[j] == '/') g.closing = true, ++j;
    std::size_t n = j;
    while (n < t.size() && (std::isalnum(static_cast<unsigned char>(t[n])) || t[n] == '_' || t[n] == ':' || t[n] == '.' || t[n] == '-')) ++n;
    g.name = t.substr(j, n - j);
    char quote = 0;
    for (j = n; j < t.size(); ++j) {
      if (quote) {
        if (t[j] == quote) quote = 0;
      } else if (t[j] == '"' || t[j] == '\'') {
        quote = t[j];
      } else if (t[j] == '>') {
        break;
      }
    }
    if (j >= t.size()) break;
    g.end = j + 1;
    g.self_closing = t[j - 1] == '/';
    out.push_back(g);
    i = g.end;
  }
  return out;
}

// The value of attribute `name` in the tag's text, or "".
std::string attribute(const std::string& t, const Tag& g, const std::string& name) {
  std::string s = t.substr(g.begin, g.end - g.begin);
  for (std::size_t p = s.find(name); p != std::string::npos; p = s.find(name, p + 1)) {
    std::size_t q = p + name.size();
    while (q < s.size() && (s[q] == ' ' || s[q] == '\t')) ++q;
    if (q >= s.size() || s[q] != '=' || (p > 0 && std::isalnum(static_cast<unsigned char>(s[p - 1])))) continue;
    ++q;
    while (q < s.size() && (s[q] == ' ' || s[q] == '\t')) ++q;
    if (q >= s.size() || (s[q] != '"' && s[q] != '\'')) continue;
    std::size_t e = s.find(s[q], q + 1);
    if (e == std::string::npos) return "";
    return s.substr(q + 1, e - q - 1);
  }
  return "";
}

// Indentation (spaces/tabs) of the line holding offset `at`.
std::string indent_of(const std::string& t, std::size_t at) {
  std::size_t ls = at;
  while (ls > 0 && t[ls - 1] != '\n' && t[ls - 1] != '\r') --ls;
  std::size_t e = ls;
  while (e < t.size() && (t[e] == ' ' || t[e] == '\t')) ++e;
  return t.substr(ls, e - ls);
}

// The line ending used by the line holding offset `at` ("\n" when none).
std::string eol_after(const std::string& t, std::size_t at) {
  std::size_t e = t.find_first_of("\r\n", at);
  if (e == std::string::npos) return "\n";
  if (t[e] == '\r') return e + 1 < t.size() && t[e + 1] == '\n' ? "\r\n" : "\r";
  return "\n";
}

// Index of the tag closing the element opened at tags[i] (same name, nesting counted).
std::size_t closing_of(const std::vector<Tag>& g, std::size_t i) {
  int depth = 0;
  for (std::size_t k = i; k < g.size(); ++k) {
    if (g[k].name != g[i].name || g[k].self_closing) continue;
    depth += g[k].closing ? -1 : 1;
    if (depth == 0) return k;
  }
  return g.size();
}

}  // namespace

std::vector<std::pair<std::string, std::size_t>> msbuild_plain_imports(const std::string& text) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const Tag& g : tags(text)) {
    if (g.closing || g.name != "Import") continue;
    std::string p = attribute(text, g, "Project");
    if (!p.empty() && p.find("$(") == std::string::npos && attribute(text, g, "Condition").empty())
      out.emplace_back(p, g.begin);
  }
  return out;
}

bool msbuild_inherits_from(const std::string& text, std::size_t import_at) {
  auto g = tags(text);
  std::vector<std::string> open;  // element names, outermost first
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].closing) {
      if (!open.empty()) open.pop_back();
      continue;
    }
    if (g[i].self_closing) continue;
    if (g[i].name == "ItemDefinitionGroup" && g[i].begin < import_at) return false;
    if (g[i].name == "PreprocessorDefinitions" && !open.empty() && open.back() == "ClCompile") {
      std::size_t c = closing_of(g, i);
      if (c == g.size()) return false;
      std::string body = text.substr(g[i].end, g[c].begin - g[i].end);
      if (body.find("%(PreprocessorDefinitions)") == std::string::npos) return false;
    }
    open.push_back(g[i].name);
  }
  return true;
}

std::optional<std::vector<Edit>> msbuild_opt_in(const std::string& text, const std::string& definition,
                                                std::string& why) {
  auto g = tags(text);
  std::vector<Edit> edits;
  std::vector<std::string> conditions;
  bool unconditional = false;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].closing || g[i].self_closing || g[i].name != "ItemDefinitionGroup") continue;
    std::size_t group_end = closing_of(g, i);
    for (std::size_t k = i + 1; k < group_end; ++k) {
      if (g[k].closing || g[k].name != "ClCompile") continue;
      if (g[k].self_closing) {
        why = "a <ClCompile/> without children: add the definition by hand";
        return std::nullopt;
      }
      std::size_t cl_end = closing_of(g, k);
      std::optional<std::size_t> defs;
      for (std::size_t m = k + 1; m < cl_end && !defs; ++m)
        if (!g[m].closing && g[m].name == "PreprocessorDefinitions") defs = m;
      if (defs) {
        const Tag& d = g[*defs];
        if (!attribute(text, d, "Condition").empty()) {
          why = "a PreprocessorDefinitions with its own Condition: add the definition by hand";
          return std::nullopt;
        }
        if (d.self_closing) {
          why = "an empty <PreprocessorDefinitions/>: add the definition by hand";
          return std::nullopt;
        }
        std::size_t c = closing_of(g, *defs);
        bool empty = c < g.size() && g[c].begin == d.end;
        edits.push_back(Edit{d.end, 0, definition + (empty ? ";%(PreprocessorDefinitions)" : ";"), "opt-in"});
      } else {
        // A new element as the ClCompile's first child, indented like its
        // children (or one step deeper than ClCompile, as ClCompile is to its group).
        std::string child = k + 1 < cl_end ? indent_of(text, g[k + 1].begin) : "";
        std::string cl = indent_of(text, g[k].begin), grp = indent_of(text, g[i].begin);
        if (k + 1 >= cl_end || child.size() <= cl.size())
          child = cl + (cl.size() > grp.size() ? cl.substr(grp.size()) : std::string("  "));
        edits.push_back(Edit{g[k].end, 0,
                             eol_after(text, g[k].end) + child + "<PreprocessorDefinitions>" + definition +
                                 ";%(PreprocessorDefinitions)</PreprocessorDefinitions>",
                             "opt-in"});
      }
      std::string cond = attribute(text, g[i], "Condition");
      if (cond.empty()) unconditional = true;
      else conditions.push_back(cond);
    }
    i = group_end;
  }
  if (edits.empty()) {
    why = "no ItemDefinitionGroup with ClCompile settings: add the definition to the project by hand";
    return std::nullopt;
  }
  if (!unconditional) {
    for (const Tag& t : g) {
      if (t.closing || t.name != "ProjectConfiguration") continue;
      // MSBuild compares conditions without regard to case.
      std::string cfg = attribute(text, t, "Include");
      bool named = std::any_of(conditions.begin(), conditions.end(), [&](const std::string& c) {
        return lower_ascii(c).find("'" + lower_ascii(cfg) + "'") != std::string::npos;
      });
      if (!named) {
        why = "configuration " + cfg + " has no ClCompile settings of its own: add the definition by hand";
        return std::nullopt;
      }
    }
  }
  return edits;
}

}  // namespace nxpool::fix
