// The preprocessor model for one translation unit (issue 5 item 2-3).
//
// It follows #include through quoted and angled includes against -I
// directories, evaluates conditionals three-valued (expr_eval.h), expands
// macros whose bodies contain relevant tokens at their use sites, and latches
// the unit's NX mode at the first #include that reaches wdm.h
// (kernel_headers.h). Its output is the stream of code tokens the rules read
// plus the events the definition rules need; it never fails, it records
// diagnostics and recovers.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/compile_unit.h"
#include "pp/file_cache.h"
#include "pp/ptoken.h"

namespace nxpool::pp {

struct Loc {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// A #define or #undef of POOL_NX_OPTIN, POOL_NX_OPTIN_AUTO or POOL_NX_OPTOUT,
// from a source file or from the command line.
struct NxDefine {
  std::string name;
  bool undef = false;
  bool empty_body = false;
  std::optional<std::int64_t> value;  // the body's value when it is a known integer
  std::string body;
  Loc loc;
  bool after_latch = false;  // the unit's mode was already fixed (by a kernel header)
  bool command_line = false;
  std::string origin;        // "file:line" or the command-line origin
  std::int32_t cond = -1;
};

// The value of one NX macro where the mode latched.
struct NxValue {
  bool defined = false;
  bool empty = false;                 // defined with an empty body: breaks the header
  std::optional<std::int64_t> value;  // nullopt when defined to something unknown
  bool uncertain = false;             // defined under an unknown #if condition
  std::int32_t cond = -1;             // that condition (unit's condition table)
  std::string origin;
  std::int64_t effective() const { return defined && value ? *value : 0; }
};

struct Latch {
  bool latched = false;
  bool by_header = false;  // false: no kernel header seen, assumed at the first pool token
  Loc loc;
  std::string header;      // include name as written
  NxValue optin, autov, optout;
  bool zero_down_level = false;  // POOL_ZERO_DOWN_LEVEL_SUPPORT defined
  bool x86_or_x64 = true;        // _X86_, _AMD64_ or _NTOS_ defined (docs/mechanism.md §1.3)
  std::int32_t cond = -1;
};

struct UnitDiag {
  Loc loc;
  model::Severity severity = model::Severity::Error;
  std::string message;
};

struct UnitInput {
  std::string main_file;                     // normalised absolute path
  std::vector<std::string> include_dirs;     // normalised absolute paths
  std::vector<std::string> forced_includes;  // as given (resolved like #include "x")
  std::string predefines;                    // "#define"/"#undef" lines, processed first
  std::vector<std::string> predefine_origins;  // origin text per predefines line
  bool cplusplus = false;
  // /Yu precompiled header: MSVC ignores everything in the main file before
  // the #include of this header ("" = none).
  std::string precompiled_header;
};

struct PreprocessedUnit {
  std::vector<PToken> code;
  std::vector<std::string> files;  // [0] = "<command line>", then normalised paths
  std::vector<std::string> conds;  // condition texts, indexed by PToken::cond
  std::vector<std::string> macros; // macro names, indexed by PToken::macro
  std::vector<NxDefine> nx_defines;
  Latch latch;
  // `#undef NonPagedPool` / `#undef NonPagedPoolCacheAligned` after the
  // latch removes the header's remapping (docs/mechanism.md §2.5: code that needs the raw
  // value may do so): name and the code-token index from which it holds.
  std::vector<std::pair<std::string, std::size_t>> pool_undefs;
  std::vector<UnitDiag> diags;
  bool main_readable = true;
  // Storage that code tokens point into.
  std::unique_ptr<std::string> predefines;
  std::deque<std::string> arena;
  std::vector<std::shared_ptr<CachedFile>> files_alive;
};

PreprocessedUnit preprocess(const UnitInput& input, FileCache& cache);

}  // namespace nxpool::pp
