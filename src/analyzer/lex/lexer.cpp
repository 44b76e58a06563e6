// The lexer is a hand-written loop over a byte-class table, in the style of
// RE2/ripgrep inner loops: it never copies, never allocates per token and
// never backtracks more than a few bytes (raw-string and prefix checks).
//
// Line splices (backslash, optional blanks, line ending) may appear anywhere,
// even inside identifiers and `*/`, so every inner loop checks for a
// backslash and asks splice_at() before treating it as a character. A line
// ending is LF, CRLF or a lone CR, so files with mixed endings get the same
// line numbers an editor shows.
//
// Termination: each branch of next() advances pos_ by at least one byte, and
// every inner loop stops at the end of the buffer. Unterminated string and
// character literals end at the end of their line (as in inactive #if arms
// full of English text); an unterminated block comment is a diagnostic.
// Tested by tests/analyzer/lexer_test.cpp and fuzz/lexer_fuzz.cpp.
#include "lex/lexer.h"

#include <array>
#include <cstring>

namespace nxpool::lex {
namespace {

enum : std::uint8_t { kIdent = 1, kDigit = 2, kSpace = 4, kNewline = 8 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> c{};
  for (int ch = 'a'; ch <= 'z'; ++ch) c[ch] = kIdent;
  for (int ch = 'A'; ch <= 'Z'; ++ch) c[ch] = kIdent;
  for (int ch = '0'; ch <= '9'; ++ch) c[ch] = kIdent | kDigit;
  c['_'] = kIdent;
  c['$'] = kIdent;
  for (int ch = 0x80; ch < 0x100; ++ch) c[ch] = kIdent;  // UTF-8 identifier bytes
  c[' '] = c['\t'] = c['\f'] = c['\v'] = kSpace;
  c['\r'] = c['\n'] = kNewline;
  return c;
}
constexpr auto kClass = make_classes();

inline std::uint8_t cls(char ch) { return kClass[static_cast<unsigned char>(ch)]; }

}  // namespace

std::string_view spelling_of(const Token& t, std::string_view buf, std::string& scratch) {
  std::string_view raw = buf.substr(t.offset, t.length);
  if (!(t.flags & kHasSplice)) return raw;
  scratch.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\') {
      std::size_t j = i + 1;
      while (j < raw.size() && (raw[j] == ' ' || raw[j] == '\t')) ++j;
      if (j < raw.size() && (raw[j] == '\n' || raw[j] == '\r')) {
        if (raw[j] == '\r' && j + 1 < raw.size() && raw[j + 1] == '\n') ++j;
        i = j;
        continue;
      }
    }
    scratch.push_back(raw[i]);
  }
  return scratch;
}

Lexer::Lexer(std::string_view text) : text_(text) {}

std::size_t Lexer::splice_at(std::size_t i) const {
  // text_[i] == '\\' is the caller's precondition.
  std::size_t j = i + 1;
  while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j;
  if (j >= text_.size()) return 0;
  if (text_[j] == '\n') return j + 1 - i;
  if (text_[j] == '\r') return (j + 1 < text_.size() && text_[j + 1] == '\n') ? j + 2 - i : j + 1 - i;
  return 0;
}

void Lexer::newline_at(std::size_t& i) {
  if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
  ++i;
  ++line_;
  line_start_ = i;
}

bool Lexer::skip_space_and_comments() {
  const std::size_t n = text_.size();
  std::size_t i = pos_;
  bool skipped = false;
  while (i < n) {
    char c = text_[i];
    std::uint8_t k = cls(c);
    if (k & kSpace) {
      ++i;
      skipped = true;
    } else if (k & kNewline) {
      newline_at(i);
      at_bol_ = true;
      skipped = true;
    } else if (c == '\\') {
      std::size_t s = splice_at(i);
      if (s == 0) break;
      i += s;
      ++line_;
      line_start_ = i;
    } else if (c == '/' && i + 1 < n && text_[i + 1] == '/') {
      // Line comment; a splice continues it onto the next line.
      i += 2;
      while (i < n) {
        char d = text_[i];
        if (d == '\n' || d == '\r') break;
        if (d == '\\') {
          std::size_t s = splice_at(i);
          if (s) {
            i += s;
            ++line_;
            line_start_ = i;
            continue;
          }
        }
        ++i;
      }
      skipped = true;
    } else if (c == '/' && i + 1 < n && text_[i + 1] == '*') {
      std::uint32_t start_line = line_;
      std::uint32_t start_col = static_cast<std::uint32_t>(i - line_start_ + 1);
      i += 2;
      bool closed = false;
      while (i < n) {
        char d = text_[i];
        if (d == '*') {
          std::size_t j = i + 1;
          // `*` splice `/` still closes the comment.
          while (j < n && text_[j] == '\\') {
            std::size_t s = splice_at(j);
            if (!s) break;
            j += s;
            ++line_;
            line_start_ = j;
          }
          if (j < n && text_[j] == '/') {
            i = j + 1;
            closed = true;
            break;
          }
          i = j;
        } else if (d == '\n' || d == '\r') {
          newline_at(i);
        } else {
          // Fast skip to the next interesting byte.
          const void* hit = nullptr;
          std::size_t rest = n - i;
          const char* p = text_.data() + i;
          const char* star = static_cast<const char*>(std::memchr(p, '*', rest));
          std::size_t lim = star ? static_cast<std::size_t>(star - p) : rest;
          hit = std::memchr(p, '\n', lim);
          const void* cr = std::memchr(p, '\r', lim);
          if (cr && (!hit || cr < hit)) hit = cr;
          i += hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : lim;
        }
      }
      if (!closed) diags_.push_back({start_line, start_col, "unterminated /* comment"});
      skipped = true;
    } else {
      break;
    }
  }
  pos_ = i;
  return skipped;
}

void Lexer::lex_identifier_tail(std::size_t& i, std::uint8_t& flags) {
  const std::size_t n = text_.size();
  for (;;) {
    while (i < n && (cls(text_[i]) & kIdent)) ++i;
    if (i < n && text_[i] == '\\') {
      std::size_t s = splice_at(i);
      if (s && i + s < n && (cls(text_[i + s]) & kIdent)) {
        i += s;
        ++line_;
        line_start_ = i;
        flags |= kHasSplice;
        continue;
      }
    }
    return;
  }
}

void Lexer::lex_quoted(std::size_t& i, char quote, std::uint8_t& flags) {
  // i is just past the opening quote.
  const std::size_t n = text_.size();
  while (i < n) {
    char c = text_[i];
    if (c == quote) {
      ++i;
      return;
    }
    if (c == '\n' || c == '\r') return;  // unterminated: ends at the line end
    if (c == '\\') {
      std::size_t s = splice_at(i);
      if (s) {
        i += s;
        ++line_;
        line_start_ = i;
        flags |= kHasSplice;
        continue;
      }
      i += (i + 1 < n && text_[i + 1] != '\n' && text_[i + 1] != '\r') ? 2 : 1;
      continue;
    }
    ++i;
  }
}

bool Lexer::try_raw_string(std::size_t& i, std::uint8_t& flags) {
  // i points at the opening quote of R"delim( ... )delim".
  const std::size_t n = text_.size();
  std::size_t d = i + 1;
  while (d < n && d - (i + 1) <= 16 && text_[d] != '(' && text_[d] != ')' && text_[d] != '\\' &&
         text_[d] != ' ' && text_[d] != '"' && !(cls(text_[d]) & kNewline))
    ++d;
  if (d >= n || text_[d] != '(' || d - (i + 1) > 16) return false;
  std::string_view delim = text_.substr(i + 1, d - (i + 1));
  std::size_t j = d + 1;
  while (j < n) {
    char c = text_[j];
    if (c == ')' && text_.substr(j + 1, delim.size()) == delim && j + 1 + delim.size() < n &&
        text_[j + 1 + delim.size()] == '"') {
      i = j + delim.size() + 2;
      return true;
    }
    if (c == '\n' || c == '\r') {
      newline_at(j);
      flags |= kHasSplice;  // multi-line; spelling is never needed verbatim
      continue;
    }
    ++j;
  }
  diags_.push_back({line_, static_cast<std::uint32_t>(i - line_start_ + 1), "unterminated raw string literal"});
  i = n;
  return true;
}

void Lexer::lex_number(std::size_t& i, std::uint8_t& flags) {
  const std::size_t n = text_.size();
  for (;;) {
    if (i >= n) return;
    char c = text_[i];
    if ((c == '+' || c == '-') && (text_[i - 1] == 'e' || text_[i - 1] == 'E' || text_[i - 1] == 'p' ||
                                   text_[i - 1] == 'P')) {
      ++i;
    } else if ((cls(c) & kIdent) || c == '.') {
      ++i;
    } else if (c == '\'' && i + 1 < n && (cls(text_[i + 1]) & kIdent) && (cls(text_[i - 1]) & kIdent)) {
      i += 2;  // C++14 digit separator
    } else if (c == '\\') {
      std::size_t s = splice_at(i);
      if (!s) return;
      i += s;
      ++line_;
      line_start_ = i;
      flags |= kHasSplice;
    } else {
      return;
    }
  }
}

std::size_t Lexer::punct_length(std::size_t i) const {
  auto at = [&](std::size_t k) -> char { return i + k < text_.size() ? text_[i + k] : '\0'; };
  char a = at(0), b = at(1), c = at(2);
  switch (a) {
    case '.':
      return (b == '.' && c == '.') ? 3 : 1;
    case '-':
      if (b == '>') return (c == '*') ? 3 : 2;
      return (b == '-' || b == '=') ? 2 : 1;
    case '+':
      return (b == '+' || b == '=') ? 2 : 1;
    case '&':
      return (b == '&' || b == '=') ? 2 : 1;
    case '|':
      return (b == '|' || b == '=') ? 2 : 1;
    case '<':
      if (b == '<') return c == '=' ? 3 : 2;
      if (b == '=') return c == '>' ? 3 : 2;
      return 1;
    case '>':
      if (b == '>') return c == '=' ? 3 : 2;
      return b == '=' ? 2 : 1;
    case '#':
      return b == '#' ? 2 : 1;
    case ':':
      return b == ':' ? 2 : 1;
    case '=': case '!': case '*': case '/': case '%': case '^':
      return b == '=' ? 2 : 1;
    default:
      return 1;
  }
}

Token Lexer::next() {
  std::uint8_t flags = 0;
  if (skip_space_and_comments()) flags |= kSpaceBefore;
  if (at_bol_) flags |= kAtBol;
  Token t;
  t.line = line_;
  t.column = static_cast<std::uint32_t>(pos_ - line_start_ + 1);
  t.offset = static_cast<std::uint32_t>(pos_);
  const std::size_t n = text_.size();
  if (pos_ >= n) {
    t.kind = TokenKind::Eof;
    t.flags = flags;
    return t;
  }
  at_bol_ = false;
  std::size_t i = pos_;
  char c = text_[i];
  std::uint8_t k = cls(c);
  if (k & kDigit || (c == '.' && i + 1 < n && (cls(text_[i + 1]) & kDigit))) {
    ++i;
    lex_number(i, flags);
    t.kind = TokenKind::Number;
  } else if (k & kIdent) {
    ++i;
    lex_identifier_tail(i, flags);
    // Literal prefixes: L, u, U, u8, and their raw forms R, LR, uR, UR, u8R.
    std::size_t len = i - pos_;
    std::string_view word = text_.substr(pos_, len);
    if (i < n && (text_[i] == '"' || text_[i] == '\'') && !(flags & kHasSplice)) {
      bool raw = !word.empty() && word.back() == 'R';
      std::string_view base = raw ? word.substr(0, word.size() - 1) : word;
      bool prefix = base.empty() || base == "L" || base == "u" || base == "U" || base == "u8";
      if (prefix && raw && text_[i] == '"') {
        std::size_t j = i;
        if (try_raw_string(j, flags)) {
          i = j;
          t.kind = TokenKind::StringLiteral;
          goto done;
        }
      }
      if (prefix && !raw) {
        char q = text_[i];
        ++i;
        lex_quoted(i, q, flags);
        t.kind = q == '"' ? TokenKind::StringLiteral : TokenKind::CharLiteral;
        goto done;
      }
    }
    t.kind = TokenKind::Identifier;
  } else if (c == '"' || c == '\'') {
    ++i;
    lex_quoted(i, c, flags);
    t.kind = c == '"' ? TokenKind::StringLiteral : TokenKind::CharLiteral;
  } else if (c == '\\' || c == '@' || c == '`' || static_cast<unsigned char>(c) < 0x20) {
    ++i;
    t.kind = TokenKind::Other;
  } else {
    i += punct_length(i);
    t.kind = TokenKind::Punct;
  }
done:
  t.length = static_cast<std::uint32_t>(i - pos_);
  t.flags = flags;
  pos_ = i;
  return t;
}

void Lexer::skip_line_body() {
  // pos_ is past the first token of a line; stop at the line's end (left for
  // skip_space_and_comments, which also handles comments spanning lines).
  const std::size_t n = text_.size();
  std::uint8_t flags = 0;
  while (pos_ < n) {
    char c = text_[pos_];
    switch (c) {
      case '\n':
      case '\r':
        return;
      case '/':
        if (pos_ + 1 < n && (text_[pos_ + 1] == '/' || text_[pos_ + 1] == '*')) {
          // at_bol_ is false inside a line; it turns true only when a line
          // ending outside the comment was consumed.
          skip_space_and_comments();
          if (at_bol_) return;
          continue;
        }
        ++pos_;
        continue;
      case '"':
        ++pos_;
        lex_quoted(pos_, '"', flags);
        continue;
      case '\'':
        ++pos_;
        lex_quoted(pos_, '\'', flags);
        continue;
      case '\\': {
        std::size_t sp = splice_at(pos_);
        if (sp) {
          pos_ += sp;
          ++line_;
          line_start_ = pos_;
        } else {
          ++pos_;
        }
        continue;
      }
      default: {
        // Numbers and identifiers are consumed whole, as next() does: digit
        // separators (1'000) must not start character literals, and an
        // identifier that is a literal prefix (L, u8, R, LR ...) followed by
        // a quote is lexed by next() itself (raw strings span lines).
        std::uint8_t k = cls(c);
        if ((k & kDigit) || (c == '.' && pos_ + 1 < n && (cls(text_[pos_ + 1]) & kDigit))) {
          ++pos_;
          lex_number(pos_, flags);
        } else if (k & kIdent) {
          std::size_t start = pos_;
          ++pos_;
          lex_identifier_tail(pos_, flags);
          if (pos_ < n && pos_ - start <= 3 && (text_[pos_] == '"' || text_[pos_] == '\'')) {
            pos_ = start;
            next();
          }
        } else {
          ++pos_;
        }
      }
    }
  }
}

void Lexer::skip_to_directive() {
  const std::size_t n = text_.size();
  for (;;) {
    skip_space_and_comments();
    if (pos_ >= n) return;
    if (at_bol_ && text_[pos_] == '#') return;
    at_bol_ = false;
    skip_line_body();
  }
}

void Lexer::skip_rest_of_line() {
  const std::size_t n = text_.size();
  std::size_t i = pos_;
  while (i < n) {
    char c = text_[i];
    if (c == '\n' || c == '\r') break;
    if (c == '\\') {
      std::size_t s = splice_at(i);
      if (s) {
        i += s;
        ++line_;
        line_start_ = i;
        continue;
      }
    }
    if (c == '/' && i + 1 < n && text_[i + 1] == '*') {
      // A block comment may hide the line end; let the normal path handle it.
      pos_ = i;
      skip_space_and_comments();
      if (at_bol_) return;
      i = pos_;
      continue;
    }
    ++i;
  }
  pos_ = i;
}

}  // namespace nxpool::lex
