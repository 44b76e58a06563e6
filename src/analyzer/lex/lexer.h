// A C/C++ lexer: one forward pass over one buffer, producing tokens on
// demand. It understands comments, every string/character literal prefix
// (L, u8, u, U and raw strings), line splices, and CR, LF or CRLF line
// endings in any mix. It never fails: malformed input yields a diagnostic
// and the lexer continues, and every call to next() consumes at least one
// byte until Eof, so it cannot loop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lex/token.h"

namespace nxpool::lex {

struct LexDiagnostic {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text);

  // The next token; TokenKind::Eof (repeatedly) at the end.
  Token next();

  // Skips the rest of the current logical line (used for #error, #pragma,
  // #line and unknown directives whose bodies need not be tokens).
  void skip_rest_of_line();

  // Skips everything up to the next '#' that starts a logical line (a
  // directive), without producing tokens: the fast path for inactive #if
  // arms and files the prefilter found nothing in. The next call to next()
  // returns that '#' (or Eof). Comments, literals and splices are honoured
  // exactly as next() would, so the same directives are found (checked
  // against the token-by-token path in tests and in the fuzzer).
  void skip_to_directive();

  std::string_view text() const { return text_; }
  const std::vector<LexDiagnostic>& diagnostics() const { return diags_; }

 private:
  std::size_t splice_at(std::size_t i) const;  // length of a splice at i, 0 if none
  void newline_at(std::size_t& i);             // consume one line ending at i
  bool skip_space_and_comments();              // returns true if any was skipped
  void lex_identifier_tail(std::size_t& i, std::uint8_t& flags);
  void lex_quoted(std::size_t& i, char quote, std::uint8_t& flags);
  bool try_raw_string(std::size_t& i, std::uint8_t& flags);
  void lex_number(std::size_t& i, std::uint8_t& flags);
  std::size_t punct_length(std::size_t i) const;
  void skip_line_body();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  bool at_bol_ = true;
  std::vector<LexDiagnostic> diags_;
};

}  // namespace nxpool::lex
