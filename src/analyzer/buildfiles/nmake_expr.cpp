// nmake `!if` expressions: macro expansion (except inside defined(...)), then a
// precedence-climbing evaluator over integers and quoted strings. The grammar
// is in nmake.h. An error is reported at the directive and makes the caller
// skip the directory, as a real nmake run would stop there.
//
// Tested by tests/buildfiles/nmake_test.cpp.
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "nmake.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

struct Val {
  bool is_str = false;
  long long n = 0;
  std::string s;
};

class ExprParser {
 public:
  ExprParser(std::string_view text, Session& s, NmakeEnv& env, const std::string& cwd)
      : t_(text), s_(s), env_(env), cwd_(cwd) {}

  bool run(long long& out, std::string& why) {
    Val v = binary(0);
    ws();
    if (!failed_ && i_ < t_.size()) fail(fmt::format("unexpected '{}'", t_.substr(i_)));
    why = why_;
    out = v.is_str ? !v.s.empty() : v.n;
    return !failed_;
  }

 private:
  void fail(std::string why) {
    if (!failed_) why_ = std::move(why);
    failed_ = true;
  }
  void ws() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  long long num(const Val& v) {
    if (v.is_str) fail(fmt::format("string \"{}\" used as a number", v.s));
    return v.n;
  }

  // Binary operators by precedence level (0 = lowest).
  static int level(std::string_view op) {
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
  std::string_view peek_op() {
    ws();
    for (std::string_view op : {"||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "|", "^", "&", "<",
                                ">", "+", "-", "*", "/", "%"})
      if (t_.substr(i_, op.size()) == op) return op;
    return {};
  }

  Val binary(int min_level) {
    Val lhs = unary();
    while (!failed_) {
      std::string_view op = peek_op();
      int lv = level(op);
      if (op.empty() || lv <= min_level) break;
      i_ += op.size();
      Val rhs = binary(lv);
      if (failed_) break;
      lhs = apply(lhs, op, rhs);
    }
    return lhs;
  }

  Val apply(const Val& a, std::string_view op, const Val& b) {
    Val r;
    if (op == "==" || op == "!=") {
      bool eq;
      if (a.is_str || b.is_str) {
        if (!(a.is_str && b.is_str)) fail("comparing a string with a number");
        eq = a.s == b.s;
      } else {
        eq = a.n == b.n;
      }
      r.n = (op == "==") == eq;
      return r;
    }
    long long x = num(a), y = num(b);
    if (op == "||") r.n = x || y;
    else if (op == "&&") r.n = x && y;
    else if (op == "|") r.n = x | y;
    else if (op == "^") r.n = x ^ y;
    else if (op == "&") r.n = x & y;
    else if (op == "<") r.n = x < y;
    else if (op == ">") r.n = x > y;
    else if (op == "<=") r.n = x <= y;
    else if (op == ">=") r.n = x >= y;
    else if (op == "<<") r.n = x << (y & 63);
    else if (op == ">>") r.n = x >> (y & 63);
    else if (op == "+") r.n = x + y;
    else if (op == "-") r.n = x - y;
    else if (op == "*") r.n = x * y;
    else if ((op == "/" || op == "%") && y == 0) fail("division by zero");
    else if (op == "/") r.n = x / y;
    else r.n = x % y;
    return r;
  }

  Val unary() {
    ws();
    // Nesting is bounded so that no input can exhaust the stack.
    if (++depth_ > 200) {
      fail("expression nested too deeply");
      return {};
    }
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    if (i_ >= t_.size()) {
      fail("expected a value");
      return {};
    }
    char c = t_[i_];
    if (c == '!' || c == '~' || c == '-') {
      ++i_;
      Val v = unary();
      Val r;
      long long n = num(v);
      r.n = c == '!' ? !n : c == '~' ? ~n : -n;
      return r;
    }
    if (c == '(') {
      ++i_;
      Val v = binary(0);
      ws();
      if (i_ >= t_.size() || t_[i_] != ')') fail("missing ')'");
      else ++i_;
      return v;
    }
    if (c == '"') {
      size_t e = t_.find('"', i_ + 1);
      if (e == std::string_view::npos) {
        fail("unterminated string");
        return {};
      }
      Val v;
      v.is_str = true;
      v.s = std::string(t_.substr(i_ + 1, e - i_ - 1));
      i_ = e + 1;
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      char* end = nullptr;
      std::string rest(t_.substr(i_));
      Val v;
      v.n = std::strtoll(rest.c_str(), &end, 0);
      i_ += size_t(end - rest.c_str());
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t e = i_;
      while (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '_')) ++e;
      std::string word = to_lower(t_.substr(i_, e - i_));
      size_t save = i_;
      i_ = e;
      ws();
      if ((word == "defined" || word == "exist") && i_ < t_.size() && t_[i_] == '(') {
        size_t close = t_.find(')', i_);
        if (close == std::string_view::npos) {
          fail("missing ')'");
          return {};
        }
        std::string arg(trim(t_.substr(i_ + 1, close - i_ - 1)));
        i_ = close + 1;
        Val v;
        if (word == "defined") {
          v.n = env_.defined(arg);
        } else {
          if (arg.size() >= 2 && arg[0] == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
          v.n = !arg.empty() && s_.fs.resolve(normalize_path(arg, cwd_)).has_value();
        }
        return v;
      }
      i_ = save;
      fail(fmt::format("unexpected word '{}' (strings need double quotes)", t_.substr(save, e - save)));
      return {};
    }
    fail(fmt::format("unexpected '{}'", c));
    return {};
  }

  std::string_view t_;
  Session& s_;
  NmakeEnv& env_;
  const std::string& cwd_;
  size_t i_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  std::string why_;
};

}  // namespace

long long NmakeReader::evaluate(const std::string& expr, const model::SourceLoc& where, bool& ok) {
  // Expand macros, leaving the names inside defined(...) alone.
  std::string text;
  size_t i = 0;
  while (i < expr.size()) {
    if (istarts_with(std::string_view(expr).substr(i), "defined")) {
      size_t close = expr.find(')', i);
      if (close != std::string::npos) {
        text += expr.substr(i, close + 1 - i);
        i = close + 1;
        continue;
      }
    }
    if (expr[i] == '$' && i + 1 < expr.size() && expr[i + 1] == '(') {
      size_t close = expr.find(')', i);
      if (close != std::string::npos) {
        std::string body = expr.substr(i + 2, close - i - 2);
        text += env_.expand(LocStr(expr.substr(i, close + 1 - i), 0)).text;
        i = close + 1;
        continue;
      }
    }
    text += expr[i++];
  }
  long long value = 0;
  std::string why;
  ok = ExprParser(text, s_, env_, cwd_).run(value, why);
  if (!ok)
    s_.diags.error(where, fmt::format("bad !if expression \"{}\" (expanded: \"{}\"): {}", expr,
                                      text, why));
  return value;
}

}  // namespace nxpool::buildfiles
