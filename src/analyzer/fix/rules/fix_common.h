// Pieces several fixes share.
#pragma once

#include <string>

#include "fix/rules/fixers.h"

namespace nxpool::fix {

// Does argument range r need parentheses before `| X` is appended? Only
// when it has an operator that binds looser than | (&&, ||, ?:, =, ,).
inline bool needs_parens(const FileTokens& ft, std::pair<std::size_t, std::size_t> r) {
  int depth = 0;
  for (std::size_t i = r.first; i < r.second; ++i) {
    std::string_view s = ft.spell(i);
    if (s == "(") ++depth;
    else if (s == ")") --depth;
    else if (depth == 0 && (s == "&&" || s == "||" || s == "?" || s == ":" || s == "=" || s.ends_with("=")))
      return true;
  }
  return false;
}

// Edits that make argument r become `r | flag` (or just `flag` when r is 0).
inline std::vector<Edit> or_flag(const FileTokens& ft, std::pair<std::size_t, std::size_t> r, const std::string& flag,
                                 const char* rule) {
  if (r.second == r.first + 1 && ft.spell(r.first) == "0") return {replace_token(ft, r.first, flag, rule)};
  auto b = ft.bytes(r);
  if (needs_parens(ft, r)) return {Edit{b.first, 0, "(", rule}, Edit{b.second, 0, ") | " + flag, rule}};
  return {Edit{b.second, 0, " | " + flag, rule}};
}

inline const char* kOptedOutReason =
    "reached by an opted-out unit, where executable pool is meant (use --strategy explicit to name it)";

}  // namespace nxpool::fix
