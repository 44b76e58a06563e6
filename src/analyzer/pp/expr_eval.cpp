// Precedence-climbing parser over the token span; each level returns a
// three-valued result. Errors do not throw: the first error is recorded and
// the whole result becomes Unknown, because a malformed #if in a driver must
// not stop the scan (the arms are then both analysed, like any unknown).
// Recursion depth is bounded (parentheses and unary operators) so hostile
// input cannot overflow the stack.
// Tested by tests/analyzer/expr_eval_test.cpp.
#include "pp/expr_eval.h"

#include <cctype>

namespace nxpool::pp {
namespace {

struct V {
  bool known = false;
  std::int64_t v = 0;
};

V known(std::int64_t x) { return {true, x}; }
V unknown() { return {}; }

class Parser {
 public:
  Parser(std::span<const PToken> t, const IdentValue& iv) : t_(t), iv_(iv) {}

  EvalResult run() {
    EvalResult r;
    if (t_.empty()) {
      r.error = "#if with no expression";
      return r;
    }
    V v = cond();
    if (!error_.empty() || i_ != t_.size()) {
      r.error = error_.empty() ? "unexpected token '" + std::string(t_[i_].text) + "' in #if" : error_;
      return r;
    }
    r.known = v.known;
    r.value = v.v;
    return r;
  }

 private:
  bool peek(std::string_view p) const { return i_ < t_.size() && t_[i_].kind == lex::TokenKind::Punct && t_[i_].text == p; }
  bool accept(std::string_view p) {
    if (!peek(p)) return false;
    ++i_;
    return true;
  }
  void fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
    i_ = t_.size();
  }

  // `a ? b ? c ...` and `a ? b : c ? ...` recurse here, not through unary().
  V cond() {
    if (++depth_ > 256) {
      --depth_;
      fail("#if expression nested too deeply");
      return unknown();
    }
    V r = cond_inner();
    --depth_;
    return r;
  }

  V cond_inner() {
    V c = binary(0);
    if (!accept("?")) return c;
    V a = cond();
    if (!accept(":")) {
      fail("expected ':' in #if");
      return unknown();
    }
    V b = cond();
    if (!c.known) return (a.known && b.known && a.v == b.v) ? a : unknown();
    return c.v ? a : b;
  }

  static int prec(std::string_view op) {
    if (op == "||") return 1;
    if (op == "&&") return 2;
    if (op == "|") return 3;
    if (op == "^") return 4;
    if (op == "&") return 5;
    if (op == "==" || op == "!=") return 6;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return 7;
    if (op == "<<" || op == ">>") return 8;
    if (op == "+" || op == "-") return 9;
    if (op == "*" || op == "/" || op == "%") return 10;
    return 0;
  }

  V binary(int min_prec) {
    V lhs = unary();
    while (i_ < t_.size() && t_[i_].kind == lex::TokenKind::Punct) {
      std::string_view op = t_[i_].text;
      int p = prec(op);
      if (p == 0 || p <= min_prec) break;
      ++i_;
      V rhs = binary(p);
      lhs = apply(op, lhs, rhs);
    }
    return lhs;
  }

  static V apply(std::string_view op, V a, V b) {
    if (op == "&&") {
      if ((a.known && !a.v) || (b.known && !b.v)) return known(0);
      return (a.known && b.known) ? known(1) : unknown();
    }
    if (op == "||") {
      if ((a.known && a.v) || (b.known && b.v)) return known(1);
      return (a.known && b.known) ? known(0) : unknown();
    }
    if (op == "&" && ((a.known && a.v == 0) || (b.known && b.v == 0))) return known(0);
    if (op == "*" && ((a.known && a.v == 0) || (b.known && b.v == 0))) return known(0);
    if (!a.known || !b.known) return unknown();
    auto x = static_cast<std::uint64_t>(a.v), y = static_cast<std::uint64_t>(b.v);
    if (op == "|") return known(a.v | b.v);
    if (op == "^") return known(a.v ^ b.v);
    if (op == "&") return known(a.v & b.v);
    if (op == "==") return known(a.v == b.v);
    if (op == "!=") return known(a.v != b.v);
    if (op == "<") return known(a.v < b.v);
    if (op == ">") return known(a.v > b.v);
    if (op == "<=") return known(a.v <= b.v);
    if (op == ">=") return known(a.v >= b.v);
    if (op == "<<") return y >= 64 ? known(0) : known(static_cast<std::int64_t>(x << y));
    if (op == ">>") return y >= 64 ? known(0) : known(a.v >> y);
    if (op == "+") return known(static_cast<std::int64_t>(x + y));
    if (op == "-") return known(static_cast<std::int64_t>(x - y));
    if (op == "*") return known(static_cast<std::int64_t>(x * y));
    if (op == "/" || op == "%") {
      if (b.v == 0 || (a.v == INT64_MIN && b.v == -1)) return unknown();
      return known(op == "/" ? a.v / b.v : a.v % b.v);
    }
    return unknown();
  }

  V unary() {
    if (++depth_ > 256) {
      fail("#if expression nested too deeply");
      return unknown();
    }
    V r = unary_inner();
    --depth_;
    return r;
  }

  V unary_inner() {
    if (i_ >= t_.size()) {
      fail("#if expression ends early");
      return unknown();
    }
    const PToken& t = t_[i_];
    if (t.kind == lex::TokenKind::Punct) {
      std::string_view op = t.text;
      if (op == "(") {
        ++i_;
        V v = cond();
        if (!accept(")")) fail("missing ')' in #if");
        return v;
      }
      if (op == "!" || op == "-" || op == "+" || op == "~") {
        ++i_;
        V v = unary();
        if (!v.known) return v;
        if (op == "!") return known(!v.v);
        if (op == "-") return known(static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(v.v)));
        if (op == "~") return known(~v.v);
        return v;
      }
      fail("unexpected '" + std::string(op) + "' in #if");
      return unknown();
    }
    ++i_;
    if (t.kind == lex::TokenKind::Number || t.kind == lex::TokenKind::CharLiteral) {
      auto v = parse_integer(t.text);
      if (!v) {
        // Floats and odd suffixes: not an integer the scan understands.
        return unknown();
      }
      return known(*v);
    }
    if (t.kind == lex::TokenKind::Identifier) {
      // An unknown function-like macro call: swallow its argument list.
      if (peek("(")) {
        int depth = 0;
        do {
          if (peek("(")) ++depth;
          if (peek(")")) --depth;
          ++i_;
        } while (i_ < t_.size() && depth > 0);
        return unknown();
      }
      if (t.text == "__nxpool_unknown__") return unknown();
      auto v = iv_(t.text);
      return v ? known(*v) : unknown();
    }
    fail("unexpected token '" + std::string(t.text) + "' in #if");
    return unknown();
  }

  std::span<const PToken> t_;
  const IdentValue& iv_;
  std::size_t i_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '\'' || s.front() == 'L' || s.front() == 'u' || s.front() == 'U') {
    // Character literal: value of the (up to four) characters, MSVC-style.
    auto q = s.find('\'');
    if (q == std::string_view::npos || s.size() < q + 3 || s.back() != '\'') return std::nullopt;
    std::string_view body = s.substr(q + 1, s.size() - q - 2);
    std::int64_t v = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(body[i]);
      if (c == '\\' && i + 1 < body.size()) {
        char e = body[++i];
        switch (e) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case '0': c = 0; break;
          default: c = static_cast<unsigned char>(e);
        }
      }
      v = (v << 8) | c;
    }
    return v;
  }
  std::uint64_t v = 0;
  std::size_t i = 0;
  int base = 10;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
  } else if (s.size() > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    i = 2;
  } else if (s[0] == '0') {
    base = 8;
  }
  std::size_t digits = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'') continue;
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else break;
    if (d >= base) return std::nullopt;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    ++digits;
  }
  if (digits == 0 && base != 8) return std::nullopt;
  // Suffixes: u, l, ll, i8..i64, ui64 in any case.
  for (; i < s.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    if (c != 'u' && c != 'l' && c != 'i' && c != '6' && c != '4' && c != '8' && c != '3' && c != '2' && c != '1')
      return std::nullopt;
  }
  return static_cast<std::int64_t>(v);
}

EvalResult evaluate(std::span<const PToken> tokens, const IdentValue& ident_value) {
  return Parser(tokens, ident_value).run();
}

}  // namespace nxpool::pp
