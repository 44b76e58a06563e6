// Three-valued #if evaluation (issue 5 item 2: unknown macros are unknown).
#include "pp/expr_eval.h"

#include <gtest/gtest.h>

#include <deque>

#include "lex/lexer.h"

namespace nxpool::pp {
namespace {

// Identifiers: ZERO and UNDEF are known 0, ONE is 1, everything else unknown.
EvalResult eval(const std::string& src) {
  static std::deque<std::string> keep;
  keep.push_back(src);
  const std::string& s = keep.back();
  lex::Lexer lx(s);
  std::vector<PToken> toks;
  for (lex::Token t = lx.next(); t.kind != lex::TokenKind::Eof; t = lx.next()) {
    PToken p;
    p.text = std::string_view(s).substr(t.offset, t.length);
    p.kind = t.kind;
    toks.push_back(p);
  }
  return evaluate(toks, [](std::string_view n) -> std::optional<std::int64_t> {
    if (n == "ZERO" || n == "UNDEF") return 0;
    if (n == "ONE") return 1;
    return std::nullopt;
  });
}

TEST(ExprEval, Arithmetic) {
  EXPECT_TRUE(eval("1 + 2 * 3 == 7").known);
  EXPECT_EQ(eval("1 + 2 * 3 == 7").value, 1);
  EXPECT_EQ(eval("(0x0602 >= 0x0601) && !0").value, 1);
  EXPECT_EQ(eval("-1 < 0 ? 10 : 20").value, 10);
  EXPECT_EQ(eval("1 << 4 | 1").value, 17);
  EXPECT_EQ(eval("'ab'").value, 0x6162);
  EXPECT_EQ(eval("0x10000000ui64 >> 28").value, 1);
}

TEST(ExprEval, UnknownPropagates) {
  EXPECT_FALSE(eval("DBG").known);
  EXPECT_FALSE(eval("NTDDI_VERSION >= 0x06020000").known);
  EXPECT_FALSE(eval("DBG + 1").known);
}

TEST(ExprEval, ShortCircuitMakesUnknownIrrelevant) {
  EXPECT_TRUE(eval("ZERO && DBG").known);
  EXPECT_EQ(eval("ZERO && DBG").value, 0);
  EXPECT_EQ(eval("DBG && 0").value, 0);
  EXPECT_TRUE(eval("ONE || DBG").known);
  EXPECT_EQ(eval("ONE || DBG").value, 1);
  EXPECT_FALSE(eval("ONE && DBG").known);
  EXPECT_EQ(eval("ONE ? 5 : DBG").value, 5);
}

TEST(ExprEval, UnknownFunctionLikeCall) {
  EXPECT_FALSE(eval("__has_include(<x.h>)").known);
  EXPECT_TRUE(eval("__has_include(<x.h>)").error.empty());
}

TEST(ExprEval, MalformedIsAnErrorAndUnknown) {
  EvalResult r = eval("1 +");
  EXPECT_FALSE(r.known);
  EXPECT_FALSE(r.error.empty());
  EXPECT_FALSE(eval("").error.empty());
  EXPECT_FALSE(eval("(1").error.empty());
  EXPECT_FALSE(eval("1 / 0").known);
}

TEST(ExprEval, DeepNestingDoesNotOverflow) {
  std::string s(100000, '(');
  EvalResult r = eval(s + "1");
  EXPECT_FALSE(r.known);
  EXPECT_FALSE(r.error.empty());
}

TEST(ParseInteger, Suffixes) {
  EXPECT_EQ(parse_integer("0x40000000UL"), 0x40000000);
  EXPECT_EQ(parse_integer("010"), 8);
  EXPECT_EQ(parse_integer("1i64"), 1);
  EXPECT_FALSE(parse_integer("1.5").has_value());
}

}  // namespace
}  // namespace nxpool::pp
