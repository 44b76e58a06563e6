// MSBuild conditions: a recursive-descent parser that evaluates as it goes.
//
//   or_expr   := and_expr ('or' and_expr)*
//   and_expr  := not_expr ('and' not_expr)*
//   not_expr  := '!' not_expr | primary
//   primary   := '(' or_expr ')' | term [op term]
//   term      := 'quoted' | Exists(term) | HasTrailingSlash(term) | bare word/$(...)
//   op        := == != < > <= >=
//
// Strings compare case-insensitively (MSBuild's rule); when both sides are
// numbers (decimal or 0x hex) they compare as numbers, and < > on dotted
// versions compare part by part. A lone term must read as a boolean
// (true/false/on/off/yes/no, any case). Exists() takes a relative path against
// the directory given by the caller: the project for properties and items,
// the importing file for imports. Anything malformed is an error at the
// element and the condition is false, which skips the element — the same
// outcome MSBuild's refusal to build would give for that element alone.
//
// Tested by tests/buildfiles/msbuild_expand_test.cpp.
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "msbuild_expand.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

struct Value {
  std::string str;
  bool is_bool = false;
  bool b = false;
};


bool is_version(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  return true;
}

class Parser {
 public:
  Parser(Expander& ex, std::string_view s, uint32_t loc, const std::string& base)
      : ex_(ex), s_(s), loc_(loc), base_(base) {}

  bool run(bool& ok) {
    bool v = or_expr();
    ws();
    if (!failed_ && i_ < s_.size()) fail(fmt::format("unexpected '{}'", s_.substr(i_)));
    ok = !failed_;
    if (failed_)
      ex_.diags().error(ex_.locs().get(loc_),
                        fmt::format("malformed condition \"{}\": {}; treated as false", s_, why_));
    return !failed_ && v;
  }

 private:
  void fail(std::string why) {
    if (!failed_) why_ = std::move(why);
    failed_ = true;
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool keyword(std::string_view kw) {
    ws();
    if (i_ + kw.size() > s_.size() || !iequals(s_.substr(i_, kw.size()), kw)) return false;
    size_t after = i_ + kw.size();
    if (after < s_.size()) {
      char c = s_[after];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') return false;
    }
    i_ = after;
    return true;
  }

  // And/Or short-circuit as in MSBuild: the side that cannot change the
  // result is parsed (syntax errors still count) but not evaluated, so a
  // comparison there that would be an error is not one.
  bool or_expr() {
    bool v = and_expr();
    while (!failed_ && keyword("or")) {
      skipping_ += v;
      bool r = and_expr();
      skipping_ -= v;
      v = v || r;
    }
    return v;
  }
  bool and_expr() {
    bool v = not_expr();
    while (!failed_ && keyword("and")) {
      skipping_ += !v;
      bool r = not_expr();
      skipping_ -= !v;
      v = v && r;
    }
    return v;
  }
  // A value error (not a syntax error): ignored on a short-circuited side.
  void value_fail(std::string why) {
    if (!skipping_) fail(std::move(why));
  }
  int skipping_ = 0;
  // Nesting is bounded so that no input can exhaust the stack.
  static constexpr int kMaxDepth = 200;
  bool not_expr() {
    ws();
    if (i_ < s_.size() && s_[i_] == '!' && (i_ + 1 >= s_.size() || s_[i_ + 1] != '=')) {
      ++i_;
      if (++depth_ > kMaxDepth) {
        fail("nested too deeply");
        return false;
      }
      bool v = !not_expr();
      --depth_;
      return v;
    }
    return primary();
  }
  bool primary() {
    ws();
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      if (++depth_ > kMaxDepth) {
        fail("nested too deeply");
        return false;
      }
      bool v = or_expr();
      --depth_;
      ws();
      if (i_ >= s_.size() || s_[i_] != ')') fail("missing ')'");
      else ++i_;
      return v;
    }
    Value lhs = term();
    if (failed_) return false;
    ws();
    std::string_view op;
    for (std::string_view cand : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (s_.substr(i_, cand.size()) == cand) {
        op = cand;
        break;
      }
    }
    if (op.empty()) return to_bool(lhs);
    i_ += op.size();
    Value rhs = term();
    if (failed_) return false;
    return compare(lhs, rhs, op);
  }

  bool to_bool(const Value& v) {
    if (v.is_bool) return v.b;
    std::string_view t = trim(v.str);
    if (iequals(t, "true") || iequals(t, "on") || iequals(t, "yes")) return true;
    if (iequals(t, "false") || iequals(t, "off") || iequals(t, "no")) return false;
    value_fail(fmt::format("'{}' is not a boolean", v.str));
    return false;
  }

  bool compare(const Value& a, const Value& b, std::string_view op) {
    std::string as = a.is_bool ? (a.b ? "true" : "false") : a.str;
    std::string bs = b.is_bool ? (b.b ? "true" : "false") : b.str;
    double x, y;
    bool numeric = parse_msbuild_number(as, x) && parse_msbuild_number(bs, y);
    if (op == "==" || op == "!=") {
      bool eq = numeric ? x == y : iequals(as, bs);
      return op == "==" ? eq : !eq;
    }
    int c;
    if (numeric) c = x < y ? -1 : (x > y ? 1 : 0);
    else if (is_version(as) && is_version(bs)) c = compare_versions(as, bs);
    else {
      value_fail(fmt::format("'{}' {} '{}' compares non-numbers", as, op, bs));
      return false;
    }
    if (op == "<") return c < 0;
    if (op == ">") return c > 0;
    if (op == "<=") return c <= 0;
    return c >= 0;
  }

  Value term() {
    ws();
    if (i_ >= s_.size()) {
      fail("expected a value");
      return {};
    }
    char c = s_[i_];
    if (c == '\'' || c == '"') {
      size_t end = s_.find(c, i_ + 1);
      if (end == std::string_view::npos) {
        fail("unterminated quoted string");
        return {};
      }
      Value v{ex_.expand_plain(s_.substr(i_ + 1, end - i_ - 1), loc_)};
      i_ = end + 1;
      return v;
    }
    // Bare word, possibly a function name or containing $(...).
    size_t start = i_;
    while (i_ < s_.size()) {
      char d = s_[i_];
      if ((d == '$' || d == '%' || d == '@') && i_ + 1 < s_.size() && s_[i_ + 1] == '(') {
        size_t close = match_paren(s_, i_ + 1);
        if (close == std::string_view::npos) {
          fail("unbalanced parentheses");
          return {};
        }
        i_ = close + 1;
        continue;
      }
      if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '=' || d == '!' || d == '<' ||
          d == '>' || d == '(' || d == ')')
        break;
      ++i_;
    }
    std::string_view word = s_.substr(start, i_ - start);
    size_t save = i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '(' && !word.empty() && word.find('$') == std::string_view::npos)
      return function(word);
    i_ = save;
    if (word.empty()) {
      fail(fmt::format("unexpected '{}'", s_.substr(start)));
      return {};
    }
    return Value{ex_.expand_plain(word, loc_)};
  }

  Value function(std::string_view name) {
    size_t close = match_paren(s_, i_);
    if (close == std::string_view::npos) {
      fail("unbalanced parentheses");
      return {};
    }
    std::string_view inner = s_.substr(i_ + 1, close - i_ - 1);
    i_ = close + 1;
    Parser sub(ex_, inner, loc_, base_);
    sub.depth_ = depth_ + 1;
    if (sub.depth_ > kMaxDepth) {
      fail("nested too deeply");
      return {};
    }
    Value arg = sub.term();
    if (sub.failed_) {
      fail(sub.why_);
      return {};
    }
    Value v;
    v.is_bool = true;
    if (iequals(name, "Exists")) {
      std::string path(trim(arg.str));
      std::string full = normalize_path(path, base_);
      // Outside the scanned tree nothing exists (FileSystem confinement).
      v.b = !path.empty() && ex_.fs().resolve(full).has_value();
    } else if (iequals(name, "HasTrailingSlash")) {
      v.b = !arg.str.empty() && (arg.str.back() == '/' || arg.str.back() == '\\');
    } else {
      fail(fmt::format("unsupported condition function {}()", name));
    }
    return v;
  }

  Expander& ex_;
  std::string_view s_;
  uint32_t loc_;
  const std::string& base_;
  size_t i_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  std::string why_;
};

}  // namespace

bool Expander::condition(std::string_view text, uint32_t loc, const std::string& relative_base) {
  if (trim(text).empty()) return true;
  bool ok = true;
  return Parser(*this, text, loc, relative_base).run(ok);
}

}  // namespace nxpool::buildfiles
