// The subset of nmake that WDK `sources`, `dirs`, `sources.inc` and
// `project.mk` files use.
//
// Lines: `NAME = value` (a trailing '\' continues the line, '#' starts a
// comment unless escaped as '^#'), directives `!include`, `!if`, `!ifdef`,
// `!ifndef`, `!elseif`/`!else if`, `!else`, `!endif`, `!undef`, `!message`,
// `!error`; rule and command lines are skipped (they do not define macros).
//
// Macros are stored unexpanded and expanded when used, as nmake does, except
// that a definition naming itself (`C_DEFINES=$(C_DEFINES) -DX`) splices in
// the old value at once — the only way such a line can work. Every word of a
// value gets its own origin (file:line:col), so after any splicing a -D knows
// where it was written. `$(NAME:old=new)` substitution is supported.
//
// `!if` expressions: integers (decimal, 0x, 0 octal), "strings" (compared with
// == and !=, case-sensitive as nmake does), defined(NAME), exist(path), ! ~ -
// * / % + - << >> < > <= >= == != & ^ | && || and parentheses, with C
// precedence. A malformed line or expression, an unbalanced !if/!endif, or a
// missing !include is a syntax error: the caller skips that directory.
//
// Tested by tests/buildfiles/nmake_test.cpp and the wdk_* fixtures.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <unordered_map>
#include <vector>

#include "located.h"
#include "session.h"

namespace nxpool::buildfiles {

// Text one top-level nmake expansion may process, and the largest value.
inline constexpr std::size_t kMaxNmakeWork = 1u << 20;
inline constexpr std::size_t kMaxNmakeValue = 1u << 20;

class NmakeEnv {
 public:
  bool defined(const std::string& name) const { return macros_.count(name) != 0; }
  void set(const std::string& name, LocStr raw);
  void undef(const std::string& name) { macros_.erase(name); }
  const LocStr* raw(const std::string& name) const;
  // Expands every $(NAME) recursively; undefined macros are empty.
  LocStr expand(const LocStr& raw, int depth = 0) const;
  LocStr expand_macro(const std::string& name) const;
  // Names referenced by `text`, directly or through other macros, that are
  // not defined.
  void undefined_in(const std::string& text, std::vector<std::string>& out, int depth = 0) const;
  // True once (then reset) when an expansion hit the work budget
  // (B=$(C)$(C) / C=$(B)$(B) doubles at every level): its value was empty.
  bool take_over_budget() { return std::exchange(over_budget_, false); }

 private:
  mutable std::size_t work_ = 0;
  mutable bool over_budget_ = false;
  std::unordered_map<std::string, LocStr> macros_;  // nmake names are case-sensitive
};

// One file split into physical lines (comments gone, continuation marks
// noted). Logical lines are assembled while processing, because a directive
// may sit inside a continued definition (XDP's project.mk does this: the
// value's lines between !ifdef and !endif depend on the branch).
// Independent of macro values, so parsed once per read session.
struct NmakeLine {
  int line = 0;
  int indent = 0;          // column of the first non-blank character - 1
  bool directive = false;  // starts with '!'
  bool command = false;    // starts with blank: a rule's command line
  bool continued = false;  // ended with '\'
  LocStr body;             // trimmed text, one origin per word; '\' removed
};
struct NmakeFile {
  bool readable = false;
  std::string why;  // when not readable
  std::vector<NmakeLine> lines;
};
using NmakeCache = std::unordered_map<std::string, std::shared_ptr<const NmakeFile>>;

struct NmakeOutcome {
  bool ok = true;                    // false: syntax error (reported)
  std::optional<std::string> error;  // text of an active !error directive
};

class NmakeReader {
 public:
  NmakeReader(Session& session, NmakeCache& cache, NmakeEnv& env, std::string cwd)
      : s_(session), cache_(cache), env_(env), cwd_(std::move(cwd)) {}
  // Processes one file into the environment.
  NmakeOutcome process(const std::string& path);
  // Evaluates an !if expression (exposed for tests). `ok` false on error.
  long long evaluate(const std::string& expr, const model::SourceLoc& where, bool& ok);

 private:
  bool process_file(const std::string& path, int depth, NmakeOutcome& out);
  const NmakeFile& load(const std::string& path);
  Session& s_;
  NmakeCache& cache_;
  NmakeEnv& env_;
  std::string cwd_;
};

}  // namespace nxpool::buildfiles
