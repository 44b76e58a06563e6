// Tested through the fix tests (multi-line calls, nested parentheses).
#include "fix/site_tokens.h"

#include <algorithm>

#include "lex/lexer.h"

namespace nxpool::fix {

FileTokens::FileTokens(const std::string& t) : text(t) {
  lex::Lexer lx(text);
  for (;;) {
    lex::Token tok = lx.next();
    if (tok.kind == lex::TokenKind::Eof) break;
    toks.push_back(tok);
  }
}

std::optional<std::size_t> FileTokens::at(std::uint32_t line, std::uint32_t column) const {
  auto it = std::lower_bound(toks.begin(), toks.end(), std::pair{line, column}, [](const lex::Token& t, auto lc) {
    return t.line != lc.first ? t.line < lc.first : t.column < lc.second;
  });
  if (it == toks.end() || it->line != line || it->column != column) return std::nullopt;
  return static_cast<std::size_t>(it - toks.begin());
}

std::optional<FileTokens::Args> FileTokens::call_args(std::size_t name) const {
  std::size_t i = name + 1;
  if (!is(i, "(")) return std::nullopt;
  Args a;
  int depth = 0;
  std::size_t from = i + 1;
  for (++i; i < toks.size(); ++i) {
    std::string_view s = spell(i);
    if (toks[i].at_bol() && s == "#") return std::nullopt;  // a directive inside the call: not edited
    if (s == "(" || s == "[" || s == "{") ++depth;
    else if ((s == ")" || s == "]" || s == "}") && depth > 0) --depth;
    else if (s == ")") {
      if (i > from || !a.ranges.empty()) a.ranges.emplace_back(from, i);
      a.close = i;
      return a;
    } else if (s == "," && depth == 0) {
      a.ranges.emplace_back(from, i);
      from = i + 1;
    }
  }
  return std::nullopt;
}

}  // namespace nxpool::fix
