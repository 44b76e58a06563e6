// Fuzz target: source decoding and the lexer (issue 5 item 1: never crash,
// never loop). Checks the lexer's own invariants on every input: tokens are
// in order, inside the buffer, on non-decreasing lines, and each call
// consumes input until Eof; and the fast directive skipper finds exactly the
// directives the token-by-token path finds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "lex/lexer.h"
#include "lex/source_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nxpool::lex::SourceText st = nxpool::lex::decode_source(std::string(reinterpret_cast<const char*>(data), size));
  if (st.status != nxpool::lex::LoadStatus::Ok) return 0;
  nxpool::lex::Lexer lx(st.text);
  std::uint32_t last_end = 0, last_line = 1;
  std::string scratch;
  std::vector<std::uint32_t> directives;
  for (std::size_t n = 0;; ++n) {
    nxpool::lex::Token t = lx.next();
    if (t.kind == nxpool::lex::TokenKind::Eof) break;
    if (t.offset < last_end || t.offset + t.length > st.text.size() || t.length == 0 || t.line < last_line ||
        n > st.text.size())
      std::abort();
    (void)nxpool::lex::spelling_of(t, st.text, scratch);
    if (t.at_bol() && t.kind == nxpool::lex::TokenKind::Punct && t.length == 1 && st.text[t.offset] == '#')
      directives.push_back(t.offset);
    last_end = t.offset + t.length;
    last_line = t.line;
  }
  nxpool::lex::Lexer skipper(st.text);
  std::vector<std::uint32_t> skipped;
  for (std::size_t n = 0;; ++n) {
    skipper.skip_to_directive();
    nxpool::lex::Token t = skipper.next();
    if (t.kind == nxpool::lex::TokenKind::Eof) break;
    if (t.at_bol() && t.kind == nxpool::lex::TokenKind::Punct && t.length == 1 && st.text[t.offset] == '#')
      skipped.push_back(t.offset);
    if (n > st.text.size()) std::abort();
  }
  if (skipped != directives) std::abort();
  return 0;
}
