// Three-valued evaluation of #if expressions.
//
// A value is either a known integer or Unknown. Unknown comes from names the
// scan cannot see (a macro from a header that is not on disk, a build flag
// nobody passed). Operators propagate Unknown except where C's short-circuit
// rules make the operand irrelevant: `0 && X` is 0, `1 || X` is 1, and a
// known condition of `?:` picks its arm. This is what lets a scan analyse
// both arms of `#if DBG` while still pruning `#if 0` and include guards.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "pp/ptoken.h"

namespace nxpool::pp {

struct EvalResult {
  bool known = false;
  std::int64_t value = 0;
  std::string error;  // non-empty: malformed expression (result is Unknown)
};

// Value of an identifier that survived macro expansion: nullopt = Unknown.
using IdentValue = std::function<std::optional<std::int64_t>(std::string_view)>;

// `tokens` is the directive's expression after `defined` was replaced and
// macros were expanded. A token spelled "__nxpool_unknown__" is Unknown.
EvalResult evaluate(std::span<const PToken> tokens, const IdentValue& ident_value);

// Parses a C integer or character literal; nullopt if it is not one.
std::optional<std::int64_t> parse_integer(std::string_view spelling);

}  // namespace nxpool::pp
