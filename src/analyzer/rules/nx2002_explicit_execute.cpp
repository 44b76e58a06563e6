// NX2002: an explicit request for executable memory (docs/mechanism.md §5.1, §5.3, §6):
// NonPagedPoolExecute, POOL_FLAG_NON_PAGED_EXECUTE, PAGE_EXECUTE*. A note by
// default because it is deliberate; --hvci makes it an error.
// Tested by cases/nx2002_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx2002(RuleContext& ctx) {
  for (const scan::Site& s : ctx.cs.sites) {
    if (s.word != scan::Word::NonPagedPoolExecute && s.word != scan::Word::PoolFlagNonPagedExecute &&
        s.word != scan::Word::PageExecute)
      continue;
    if (!value_use(s)) continue;
    if (s.word == scan::Word::NonPagedPoolExecute && in_pool2_flags(ctx, s.idx)) continue;  // NX3001
    ctx.report(ctx.at_token("NX2002", s.idx,
                            "'" + word_text(ctx, s.idx) +
                                "' explicitly requests executable memory, which memory integrity (HVCI) refuses"));
  }
}

}  // namespace nxpool::rules
