// The fixer's own view of a file: every token with its byte offset, from
// one pass of the analyzer's lexer over the text the scanner saw, so a
// finding's line and column name exactly one token here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lex/token.h"

namespace nxpool::fix {

struct FileTokens {
  explicit FileTokens(const std::string& text);
  const std::string& text;
  std::vector<lex::Token> toks;

  std::string_view spell(std::size_t i) const { return std::string_view(text).substr(toks[i].offset, toks[i].length); }
  bool is(std::size_t i, std::string_view s) const { return i < toks.size() && spell(i) == s; }
  // The token that starts at line:column, if any.
  std::optional<std::size_t> at(std::uint32_t line, std::uint32_t column) const;
  // For the call whose name is token `name`: the argument token ranges
  // [first, last) split at top-level commas, and the index of ')'. nullopt
  // when no balanced parenthesised list follows, or it crosses a directive.
  struct Args {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    std::size_t close = 0;
  };
  std::optional<Args> call_args(std::size_t name) const;
  // Byte range of a token range (from the first token to the end of the last).
  std::pair<std::size_t, std::size_t> bytes(std::pair<std::size_t, std::size_t> r) const {
    return {toks[r.first].offset, toks[r.second - 1].offset + toks[r.second - 1].length};
  }
  std::string text_of(std::pair<std::size_t, std::size_t> r) const {
    auto b = bytes(r);
    return text.substr(b.first, b.second - b.first);
  }
};

}  // namespace nxpool::fix
