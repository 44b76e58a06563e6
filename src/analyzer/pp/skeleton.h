// A file's directive skeleton: what the preprocessor model needs from a file
// whose code it does not analyse (issue 15, "do each piece of work once per
// tree"). See skeleton.cpp for why it is exact.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lex/lexer.h"
#include "pp/macro_table.h"
#include "pp/ptoken.h"

namespace nxpool::pp {

struct SkeletonEntry {
  // A run of code tokens (no directive) when true; the fields below are unused.
  bool code = false;
  std::uint32_t hash_line = 0;  // the '#' that starts the directive
  std::uint32_t hash_column = 0;
  std::uint32_t first = 0;      // the directive's tokens: Skeleton::tokens[first, first + count)
  std::uint32_t count = 0;
  // The raw name after `define` when the directive is `# define NAME`, as the
  // lexer spells it (what an include-guard test compares), else empty.
  std::string_view raw_define_name;
  // The last unconditional definition a `#define` here made, reused by the
  // next unit that reaches it outside any unknown #if with the same file id
  // (the definition then depends on nothing else). A skeleton belongs to one
  // worker's file cache, so no lock is needed.
  mutable std::shared_ptr<const MacroDef> def;
  mutable std::uint32_t def_file = 0;
};

struct Skeleton {
  std::vector<SkeletonEntry> entries;  // in file order
  std::vector<PToken> tokens;          // file 0, cond -1, macro -1: patched at use
  std::vector<lex::LexDiagnostic> diags;  // the lexer's, reported after the file
  std::deque<std::string> spliced;     // spellings of tokens that contained a line splice
};

// Lexes `text` once the way the directive loop does for a file it analyses
// for directives only, and records the result.
Skeleton build_skeleton(std::string_view text);

// Bytes a skeleton holds, counting the definitions its `#define` entries will
// keep once units reuse them (an estimate from the directive's tokens): what
// the file cache weighs against its budget.
std::uint64_t skeleton_footprint(const Skeleton& sk);

}  // namespace nxpool::pp
