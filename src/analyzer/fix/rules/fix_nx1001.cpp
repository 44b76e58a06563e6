// Fix for NX1001 (docs/rules/NX1001.md "Fix"), shared with NX1005: a mode
// macro defined after the include that latched the file's mode moves to
// just above that include, together with its trailing comment and the
// `//` comment lines right above it. Made only when it is right for every
// unit: the define is in a source file, every unit of that file latched at
// the same include line of the same file, and no conditional directive lies
// between the two (so the define keeps its #if context).
// Tested by tests/fix/fix_rules_test.cpp.
#include <algorithm>

#include "fix/rules/fix_common.h"

namespace nxpool::fix {
namespace {

// Start offset of every line, counting CRLF, CR and LF as the lexer does.
std::vector<std::size_t> line_starts(const std::string& t) {
  std::vector<std::size_t> v{0, 0};  // 1-based: v[1] = 0
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
    if (t[i] == '\n' || t[i] == '\r') v.push_back(i + 1);
  }
  return v;
}

bool only_line_comment(const std::string& t, std::size_t b, std::size_t e) {
  while (b < e && (t[b] == ' ' || t[b] == '\t')) ++b;
  return e - b >= 2 && t.compare(b, 2, "//") == 0;
}

}  // namespace

FixResult move_define_above_latch(const Site& s, const char* rule) {
  const FileTokens& ft = s.ft;
  const std::string& file = s.findings.front()->file;
  std::uint32_t line = ft.toks[s.tok].line;
  std::string latch;
  for (const scan::UnitRecord& u : s.scan.units) {
    if (u.file != file) continue;
    if (u.latch.empty() || (!latch.empty() && u.latch != latch))
      return FixResult::no("the units of this file do not all fix their mode at one include");
    latch = u.latch;
  }
  if (latch.empty()) return FixResult::no("defined in a header: move it by hand above the kernel include of each file");
  auto colon = latch.rfind(':');
  if (latch.substr(0, colon) != file) return FixResult::no("the mode is fixed by an include in another file (" + latch + ")");
  std::uint32_t inc = static_cast<std::uint32_t>(std::stoul(latch.substr(colon + 1)));
  if (inc >= line) return FixResult::no("the latching include is not above the define");
  for (std::size_t i = 0; i < ft.toks.size(); ++i) {
    const auto& t = ft.toks[i];
    if (t.line <= inc || t.line >= line || !t.at_bol() || ft.spell(i) != "#" || i + 1 >= ft.toks.size()) continue;
    std::string_view d = ft.spell(i + 1);
    if (d == "if" || d == "ifdef" || d == "ifndef" || d == "elif" || d == "else" || d == "endif")
      return FixResult::no("a conditional directive lies between the include and the define");
  }
  // The whole directive must be on its line (no splice continuation).
  std::size_t last = s.tok;
  while (last + 1 < ft.toks.size() && !ft.toks[last + 1].at_bol()) ++last;
  if (ft.toks[last].line != line) return FixResult::no("the directive continues on the next line");
  auto starts = line_starts(ft.text);
  if (line + 1 >= starts.size()) return FixResult::no("the define is the file's last line, with no line ending");
  std::uint32_t first = line;
  while (first - 1 > inc && only_line_comment(ft.text, starts[first - 1], starts[first])) --first;
  std::size_t from = starts[first], to = starts[line + 1];
  std::string moved = ft.text.substr(from, to - from);
  return FixResult{{Edit{starts[inc], 0, moved, rule}, Edit{from, to - from, "", rule}}, ""};
}

FixResult fix_nx1001(const Site& s) { return move_define_above_latch(s, "NX1001"); }

}  // namespace nxpool::fix
