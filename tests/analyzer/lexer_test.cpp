// Lexer: tokens, positions, comments, literals, splices, line endings
// (issue 5 item 1). Every test checks exact kinds, spellings and positions.
#include "lex/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nxpool::lex {
namespace {

struct Tok {
  TokenKind kind;
  std::string text;
  std::uint32_t line, column;
};

std::vector<Tok> lex_all(std::string_view src, std::vector<LexDiagnostic>* diags = nullptr) {
  Lexer lx(src);
  std::vector<Tok> out;
  std::string scratch;
  for (int guard = 0; guard < 100000; ++guard) {
    Token t = lx.next();
    if (t.kind == TokenKind::Eof) break;
    out.push_back({t.kind, std::string(spelling_of(t, src, scratch)), t.line, t.column});
  }
  if (diags) *diags = lx.diagnostics();
  return out;
}

TEST(Lexer, IdentifiersNumbersPunctuatorsWithPositions) {
  auto t = lex_all("int x = 0x1F;\n  a->b &= c && d;");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].text, "int");
  EXPECT_EQ(t[3].kind, TokenKind::Number);
  EXPECT_EQ(t[3].text, "0x1F");
  EXPECT_EQ(t[5].text, "a");
  EXPECT_EQ(t[5].line, 2u);
  EXPECT_EQ(t[5].column, 3u);
  EXPECT_EQ(t[6].text, "->");
  EXPECT_EQ(t[8].text, "&=");
  EXPECT_EQ(t[10].text, "&&");
}

TEST(Lexer, CommentsProduceNoTokens) {
  auto t = lex_all("a // NonPagedPool\n/* NonPagedPool\n */ b");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].text, "b");
  EXPECT_EQ(t[1].line, 3u);
  EXPECT_EQ(t[1].column, 5u);
}

TEST(Lexer, StringAndCharLiteralPrefixes) {
  auto t = lex_all("L\"a\" u8\"b\" u'c' U\"d\" 'Tag1' \"esc\\\"aped\"");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, TokenKind::StringLiteral);
  EXPECT_EQ(t[0].text, "L\"a\"");
  EXPECT_EQ(t[1].text, "u8\"b\"");
  EXPECT_EQ(t[2].kind, TokenKind::CharLiteral);
  EXPECT_EQ(t[4].text, "'Tag1'");
  EXPECT_EQ(t[5].text, "\"esc\\\"aped\"");
}

TEST(Lexer, RawStringSpansLinesAndHidesContent) {
  auto t = lex_all("R\"x(NonPagedPool )\" \n)x\" after");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].kind, TokenKind::StringLiteral);
  EXPECT_EQ(t[1].text, "after");
  EXPECT_EQ(t[1].line, 2u);
}

TEST(Lexer, LineSpliceInsideIdentifier) {
  auto t = lex_all("NonPaged\\\nPool x");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "NonPagedPool");
  EXPECT_EQ(t[1].line, 2u);
}

TEST(Lexer, CrLfAndLoneCrCountAsLineEndings) {
  auto t = lex_all("a\r\nb\rc\nd");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].line, 2u);
  EXPECT_EQ(t[2].line, 3u);
  EXPECT_EQ(t[3].line, 4u);
  EXPECT_EQ(t[3].column, 1u);
}

TEST(Lexer, AtBolFlagMarksDirectivesOnly) {
  Lexer lx("#define A\nx # y\n  /* c */ #if");
  Token a = lx.next();
  EXPECT_TRUE(a.at_bol());
  lx.next();  // define
  lx.next();  // A
  EXPECT_TRUE(lx.next().at_bol());   // x
  EXPECT_FALSE(lx.next().at_bol());  // #
  lx.next();                         // y
  EXPECT_TRUE(lx.next().at_bol());   // # after a comment is still first on its line
}

TEST(Lexer, UnterminatedCommentIsDiagnosedAndEnds) {
  std::vector<LexDiagnostic> d;
  auto t = lex_all("a /* never closed", &d);
  ASSERT_EQ(t.size(), 1u);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1u);
  EXPECT_EQ(d[0].column, 3u);
}

TEST(Lexer, UnterminatedStringEndsAtLineEnd) {
  auto t = lex_all("#error don't\nnext");
  ASSERT_GE(t.size(), 3u);
  EXPECT_EQ(t.back().text, "next");
  EXPECT_EQ(t.back().line, 2u);
}

TEST(Lexer, DigitSeparatorsAndExponents) {
  auto t = lex_all("1'000'000 1e+5 0x1p-3");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "1'000'000");
  EXPECT_EQ(t[1].text, "1e+5");
  EXPECT_EQ(t[2].text, "0x1p-3");
}

// The reference: positions of every '#' that next() reports at the start of
// a line. skip_to_directive() must find exactly these.
std::vector<std::uint32_t> directives_by_tokens(std::string_view src) {
  Lexer lx(src);
  std::vector<std::uint32_t> out;
  for (Token t = lx.next(); t.kind != TokenKind::Eof; t = lx.next())
    if (t.at_bol() && t.kind == TokenKind::Punct && src.substr(t.offset, t.length) == "#") out.push_back(t.offset);
  return out;
}

std::vector<std::uint32_t> directives_by_skipping(std::string_view src) {
  Lexer lx(src);
  std::vector<std::uint32_t> out;
  for (;;) {
    lx.skip_to_directive();
    Token t = lx.next();
    if (t.kind == TokenKind::Eof) break;
    if (t.at_bol() && t.kind == TokenKind::Punct && src.substr(t.offset, t.length) == "#") out.push_back(t.offset);
  }
  return out;
}

TEST(Lexer, SkipToDirectiveFindsTheSameDirectives) {
  const char* inputs[] = {
      "#if 0\nint a; /* x\n#define NOT */ int b;\n#endif\n",
      "x = \"# not\"; y = '#';\n  #  define A 1\n",
      "a /* c */ b\n#define B\r\nc // d \\\n#define NOT_A_DIRECTIVE\n#undef C\r#x\n",
      "s = R\"d(\n#define NOT\n)d\"; t;\n#define YES\n",
      "n = 1'000'000; don't\n#error x\n",
      "/* a */ # define LEADING_COMMENT\nfoo \\\n#bar\n#baz",
      "int a; /*\n*/ #define NOT_BOL\n/*\n*/ #define BOL\n",
      "L'a' u8\"#\" '\\'' \"\\\"\"\n#ok\n",
      // Found by the fuzzer: digit separators inside one pp-number, and an R
      // that ends a number is not a raw-string prefix.
      "x = 0'N'i /* c\n#not */ y;\n#a\n",
      "q = 4'N'R\"(\";\nc;\n#u\";\n#x\n",
  };
  for (const char* in : inputs) EXPECT_EQ(directives_by_skipping(in), directives_by_tokens(in)) << in;
}

TEST(Lexer, EveryByteValueTerminates) {
  // Never loops: each call consumes input until Eof.
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  all += "\\";
  Lexer lx(all);
  int n = 0;
  while (lx.next().kind != TokenKind::Eof) ASSERT_LT(++n, 1000);
}

TEST(Lexer, LongLineIsOneTokenStream) {
  std::string line(1 << 20, 'a');
  auto t = lex_all(line + " b");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].column, (1u << 20) + 2);
}

}  // namespace
}  // namespace nxpool::lex
