// Directive skeletons (issue 15). Most headers a unit includes contain no
// relevant word (the literal prefilter, scan/vocabulary.h), so the directive
// loop only needs their directive lines; everything between two directives
// is skipped with Lexer::skip_to_directive(). Yet every unit that includes a
// header used to lex it again: on Windows-driver-samples the ~2,360
// preprocessor inputs re-read 11.7 times the tree's text.
//
// The lexing of such a file depends on nothing but its bytes: the loop reads
// a directive's tokens up to the next line start, and skips everything else
// to the next directive, whatever the macro state is. So the sequence of
// directive lines (with their positions), the places where code tokens occur
// (which decide whether an `#ifndef` can be an include guard), the raw
// spelling after each `# define` (which the guard test peeks at) and the
// lexer's diagnostics are a function of the file alone. They are recorded
// once per file (FileCache), and Preprocessor::replay_skeleton() walks them
// instead of lexing. A file that does contain relevant words, or whose
// analysis starts behind a precompiled header, still takes the lexer path.
// Tested by tests/analyzer/skeleton_test.cpp (replay against the lexer path)
// and every preprocessor case, which runs each header through both.
#include "pp/skeleton.h"

#include <algorithm>

namespace nxpool::pp {

Skeleton build_skeleton(std::string_view text) {
  Skeleton sk;
  lex::Lexer lx(text);
  lex::Token cur = lx.next();
  std::string scratch;
  auto to_ptoken = [&](const lex::Token& t) {
    PToken p;
    std::string_view sp = lex::spelling_of(t, text, scratch);
    if (t.flags & lex::kHasSplice) {
      sk.spliced.emplace_back(sp);
      sp = sk.spliced.back();
    }
    p.text = sp;
    p.kind = t.kind;
    p.flags = t.flags;
    p.line = t.line;
    p.column = t.column;
    p.length = static_cast<std::uint16_t>(std::min<std::uint32_t>(t.length, 0xFFFF));
    return p;
  };
  while (cur.kind != lex::TokenKind::Eof) {
    if (cur.at_bol() && cur.kind == lex::TokenKind::Punct && cur.length == 1 && text[cur.offset] == '#') {
      SkeletonEntry e;
      e.hash_line = cur.line;
      e.hash_column = cur.column;
      e.first = static_cast<std::uint32_t>(sk.tokens.size());
      cur = lx.next();
      std::uint32_t n = 0;
      std::string_view raw_first;
      while (cur.kind != lex::TokenKind::Eof && !cur.at_bol()) {
        std::string_view raw = text.substr(cur.offset, cur.length);
        if (n == 0) raw_first = raw;
        if (n == 1 && raw_first == "define") e.raw_define_name = raw;
        sk.tokens.push_back(to_ptoken(cur));
        ++n;
        cur = lx.next();
      }
      e.count = n;
      sk.entries.push_back(e);
      continue;
    }
    if (sk.entries.empty() || !sk.entries.back().code) {
      SkeletonEntry run;
      run.code = true;
      sk.entries.push_back(run);
    }
    lx.skip_to_directive();
    cur = lx.next();
  }
  sk.diags = lx.diagnostics();
  return sk;
}

std::uint64_t skeleton_footprint(const Skeleton& sk) {
  std::uint64_t n = sizeof(Skeleton) + sk.entries.capacity() * sizeof(SkeletonEntry) +
                    sk.tokens.capacity() * sizeof(PToken) + sk.diags.capacity() * sizeof(lex::LexDiagnostic);
  for (const std::string& s : sk.spliced) n += sizeof(std::string) + s.capacity();
  for (const SkeletonEntry& e : sk.entries)
    if (!e.raw_define_name.empty()) n += sizeof(MacroDef) + 32 + std::uint64_t(e.count) * sizeof(PToken);
  return n;
}

}  // namespace nxpool::pp
