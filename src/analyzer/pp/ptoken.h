// A preprocessed token: a spelling view (into a source buffer, a macro body
// or the unit's arena) plus the place the scan attributes it to. Tokens that
// come out of a macro expansion carry the location of the macro's use site
// and the index of the outermost macro's name, so a finding lands on the
// call site and can name the macro (issue 5 item 2).
#pragma once

#include <cstdint>
#include <string_view>

#include "lex/token.h"

namespace nxpool::pp {

struct PToken {
  std::string_view text;
  lex::TokenKind kind = lex::TokenKind::Eof;
  std::uint8_t flags = 0;      // lex::TokenFlags (AtBol, SpaceBefore)
  std::uint16_t length = 0;    // source extent at the reported location (for end columns)
  std::uint32_t file = 0;      // index into the unit's file table
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::int32_t macro = -1;     // index into the unit's macro-name table, -1 if written directly
  std::int32_t cond = -1;      // index into the unit's condition table, -1 if unconditional

  bool is(std::string_view s) const { return text == s; }
  bool is_ident() const { return kind == lex::TokenKind::Identifier; }
  bool is_punct(std::string_view s) const { return kind == lex::TokenKind::Punct && text == s; }
};

}  // namespace nxpool::pp
