// Tokens are 24-byte views into the buffer they were lexed from: offset and
// length, plus the 1-based line and byte column of the first character.
// Nothing is copied; a token whose spelling contains a line splice carries
// the HasSplice flag and is cleaned on demand by spelling_of().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nxpool::lex {

enum class TokenKind : std::uint8_t {
  Eof,
  Identifier,
  Number,
  CharLiteral,
  StringLiteral,  // includes raw strings and every prefix
  Punct,
  Other,          // a stray byte (e.g. '@', '`', a lone backslash)
};

enum TokenFlags : std::uint8_t {
  kAtBol = 1,        // first token on its logical line
  kSpaceBefore = 2,  // whitespace or a comment precedes it
  kHasSplice = 4,    // spelling contains backslash-newline
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::uint8_t flags = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool at_bol() const { return flags & kAtBol; }
  bool space_before() const { return flags & kSpaceBefore; }
};

// The spelling of `t` in `buf`. When the token has no splice this is a view
// into buf; otherwise the cleaned text is written to `scratch` and a view of
// scratch is returned.
std::string_view spelling_of(const Token& t, std::string_view buf, std::string& scratch);

}  // namespace nxpool::lex
