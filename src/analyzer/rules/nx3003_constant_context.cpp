// NX3003: under OPTIN, NonPagedPool is the variable ExDefaultNonPagedPoolType
// and cannot appear where a constant expression is required (docs/mechanism.md §2.5,
// §7.6): case labels, enumerator initializers, template arguments,
// constexpr, and static/file-scope initializers in C.
// Tested by cases/nx3003_*.c and cases/nx3003_*.cpp.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx3003(RuleContext& ctx) {
  if (ctx.mode() != scan::NxMode::OptIn) return;
  for (const scan::Site& s : ctx.cs.sites) {
    if (s.word != scan::Word::NonPagedPool && s.word != scan::Word::NonPagedPoolCacheAligned) continue;
    if (s.member || s.in_sal || s.declaration || s.is_call || !constant_context(ctx, s)) continue;
    ctx.report(ctx.at_token("NX3003", s.idx,
                            "'" + word_text(ctx, s.idx) +
                                "' is a variable (ExDefaultNonPagedPoolType) under POOL_NX_OPTIN and cannot be used "
                                "where a constant expression is required; write NonPagedPoolNx or "
                                "NonPagedPoolExecute"));
  }
}

}  // namespace nxpool::rules
