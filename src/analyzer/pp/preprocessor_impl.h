// Private to the preprocessor: the state shared by preprocessor.cpp (files,
// includes), directives.cpp, conditionals.cpp, latch.cpp and expand.cpp
// (macro expansion).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lex/lexer.h"
#include "pp/expr_eval.h"
#include "pp/macro_table.h"
#include "pp/preprocessor.h"
#include "pp/skeleton.h"

namespace nxpool::pp {

// One conditional (#if ... #endif) level.
struct CondFrame {
  bool parent_active = true;
  bool taking = false;         // the current arm is analysed
  bool settled = false;        // an arm known to be true was already taken
  bool seen_else = false;
  std::vector<std::string> negated;  // "!(c)" for each earlier unknown arm
  std::string arm_cond;        // unknown conditions this arm depends on ("" = none)
  Loc loc;
};

// The include-guard bookkeeping of one file's directive walk
// (`#ifndef X` / `#define X` ... `#endif` with nothing outside).
struct GuardState {
  std::size_t base = 0;      // conditional depth when the file started
  bool first_directive = true;
  bool code_before = false;
  std::string candidate;
  std::size_t level = 0;
  bool closed = false;       // the candidate's #endif was seen
  bool broken = false;       // something other than the guard #if at top level
};

// A lexer over one file plus one token of lookahead.
struct FileLexer {
  lex::Lexer lx;
  std::uint32_t file;
  lex::Token cur;
  explicit FileLexer(std::string_view text, std::uint32_t f) : lx(text), file(f) { cur = lx.next(); }
  void advance() { cur = lx.next(); }
};

class Preprocessor {
 public:
  Preprocessor(const UnitInput& in, FileCache& cache, PreprocessedUnit& out);
  void run();

 private:
  // preprocessor.cpp, directives.cpp, conditionals.cpp
  void process_text(std::string_view text, std::uint32_t file_id, bool full, CachedFile* cf,
                    std::string_view skip_until_include = {});
  void replay_skeleton(const Skeleton& sk, std::uint32_t file_id, CachedFile* cf);
  void handle_directive(const std::vector<PToken>& line, const Loc& loc, CachedFile* cf, GuardState& gs,
                        const FileLexer* fl, const SkeletonEntry* entry, std::string_view next_define);
  void finish_file(const std::vector<lex::LexDiagnostic>& lex_diags, std::uint32_t file_id, CachedFile* cf,
                   GuardState& gs);
  void read_line(FileLexer& fl, std::vector<PToken>& line);
  void do_define(const std::vector<PToken>& line, std::uint32_t file_id, const SkeletonEntry* entry);
  std::shared_ptr<const MacroDef> make_definition(const std::vector<PToken>& line, std::uint32_t file_id);
  void do_undef(const std::vector<PToken>& line);
  void do_include(const std::vector<PToken>& line, std::uint32_t file_id);
  void do_if(std::string_view kind, const std::vector<PToken>& line, std::string_view next_define, bool guard_try);
  void include_file(const std::string& path, const Loc& site, std::string_view skip_until_include = {});
  void latch_now(const Loc& loc, std::string header, bool by_header);
  NxValue nx_value(std::string_view name);
  void record_nx_define(const std::vector<PToken>& line, bool undef, const Loc& loc);
  bool active() const { return conds_.empty() || (conds_.back().taking && conds_.back().parent_active); }
  void update_cond();
  std::int32_t intern_cond(const std::string& s);
  std::uint32_t add_file(const std::string& path);
  PToken make_token(const lex::Token& t, std::string_view buf, std::uint32_t file);
  std::string origin_of(std::uint32_t file, std::uint32_t line) const;
  void diag(const Loc& loc, model::Severity sev, std::string msg);
  static std::string_view next_guard_define(const FileLexer& fl);

  // expand.cpp
  void emit_code(FileLexer& fl, bool full);
  void emit(const PToken& t);
  bool relevant(const MacroDef& m, int depth = 0);
  bool relevant_any(const MacroDef& m);  // m or any of its alternatives
  void expand_macro(const MacroDef& m, std::vector<std::vector<PToken>>& args, const PToken& site,
                    std::vector<std::string_view>& hide, std::vector<PToken>& out, bool all, int depth);
  std::int32_t combine_cond(std::int32_t a, std::int32_t b);
  void expand_into(const MacroDef& m, std::vector<std::vector<PToken>>& args, const PToken& site,
                   std::vector<std::string_view>& hide, std::vector<PToken>& out, bool all, int depth);
  std::vector<PToken> expand_list(const std::vector<PToken>& in, std::vector<std::string_view>& hide, bool all,
                                  int depth);
  bool collect_args(const std::vector<PToken>& in, std::size_t& i, const MacroDef& m,
                    std::vector<std::vector<PToken>>& args);
  bool collect_args_from_lexer(FileLexer& fl, const MacroDef& m, std::vector<std::vector<PToken>>& args,
                               std::vector<PToken>& raw);
  bool args_relevant(const std::vector<std::vector<PToken>>& args);
  EvalResult eval_condition(std::span<const PToken> expr);
  std::string_view store(std::string s);

  const UnitInput& in_;
  FileCache& cache_;
  PreprocessedUnit& out_;
  MacroTable macros_;
  std::vector<CondFrame> conds_;
  std::int32_t cur_cond_ = -1;
  std::unordered_map<std::string, std::int32_t> cond_ids_;
  std::unordered_map<std::string, std::int32_t> macro_ids_;
  std::unordered_map<std::string, std::uint32_t> file_ids_;
  std::unordered_set<std::string> once_;   // #pragma once files already included
  std::vector<std::string> dir_stack_;     // directories of the open files (MSVC quote search)
  std::vector<std::string> relevant_names_;
  std::unordered_set<std::string> relevant_name_set_;
  std::string scratch_;
  int depth_ = 0;
  std::size_t expansion_budget_ = 0;
  // Per-unit budgets (issue 10 items 5-7); each exhaustion is reported once.
  void expansion_truncated(const PToken& site, const std::string& why);
  std::size_t unit_expansion_left_;
  std::size_t includes_left_;
  std::uint64_t include_bytes_left_;
  bool expansion_reported_ = false;
  bool include_budget_reported_ = false;
  bool cond_depth_reported_ = false;
  std::vector<PToken> line_;
};

inline constexpr std::size_t kMaxIncludeDepth = 200;
inline constexpr int kMaxExpansionDepth = 512;                 // nested macro expansions
inline constexpr std::size_t kMaxExpansionTokens = 1u << 20;   // tokens from one macro use
inline constexpr std::size_t kMaxUnitExpansionTokens = 1u << 22;  // tokens from all uses in a unit
inline constexpr std::size_t kMaxIncludes = 20000;             // file inclusions per unit
inline constexpr std::uint64_t kMaxIncludeBytes = 256u << 20;  // bytes of included text per unit
inline constexpr std::size_t kMaxCondDepth = 256;              // nested #if levels
// A file analysed for directives only gets a skeleton (skeleton.h) at this
// inclusion: most main sources are read once, headers many times.
inline constexpr std::uint32_t kSkeletonAfterUses = 2;

}  // namespace nxpool::pp
