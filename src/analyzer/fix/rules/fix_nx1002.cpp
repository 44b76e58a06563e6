// Fix for NX1002 (docs/rules/NX1002.md "Fix"): `#define POOL_NX_OPTOUT`
// with an empty body or 0 becomes `#define POOL_NX_OPTOUT 1`. A definition
// on the command line or in a build file is not a source edit and is left
// alone. Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx1002(const Site& s) {
  // The finding points at the directive; find `define POOL_NX_OPTOUT` on its line.
  const auto& t = s.ft.toks;
  std::size_t i = s.tok;
  std::uint32_t line = t[i].line;
  while (i < t.size() && t[i].line == line && s.ft.spell(i) != "POOL_NX_OPTOUT") ++i;
  if (i >= t.size() || t[i].line != line || i < 1 || s.ft.spell(i - 1) != "define")
    return FixResult::no("not a '#define POOL_NX_OPTOUT' in this file (command line or build file)");
  std::size_t body = i + 1;
  bool empty = body >= t.size() || t[body].at_bol();
  if (empty) return FixResult{{Edit{t[i].offset + t[i].length, 0, " 1", "NX1002"}}, ""};
  bool zero_only = s.ft.spell(body) == "0" && (body + 1 >= t.size() || t[body + 1].at_bol());
  if (!zero_only) return FixResult::no("the body is not a plain 0");
  return FixResult{{replace_token(s.ft, body, "1", "NX1002")}, ""};
}

}  // namespace nxpool::fix
