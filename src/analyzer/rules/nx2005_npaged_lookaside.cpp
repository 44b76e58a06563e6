// NX2005: ExInitializeNPagedLookasideList whose Flags lack
// POOL_NX_ALLOCATION in a file whose wrapper does not add it (docs/mechanism.md §2.2,
// §6.2). Flags held in a variable are not judged.
// Tested by cases/nx2005_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx2005(RuleContext& ctx) {
  if (ctx.mode() == scan::NxMode::Auto) return;
  for (const scan::Call& c : ctx.cs.calls) {
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExInitializeNPagedLookasideList || c.args.size() < 4)
      continue;
    std::string which;
    std::int32_t which_cond = -1;
    bool executable = false;
    for (auto r : alternatives_of(ctx, c.args[3])) {
      if (ctx.range_has(r, scan::Word::PoolNxAllocation)) continue;
      if (auto v = ctx.range_value(r)) {
        if (*v & 0x200) continue;
      } else if (!ctx.range_only(r, {scan::Word::PoolFlagConstant})) {
        continue;
      }
      executable = true;
      which = alternative_condition(ctx, r, c.name);
      if (!which.empty()) which_cond = ctx.tok(r.first).cond;
      break;
    }
    if (!executable) continue;
    std::string msg = "ExInitializeNPagedLookasideList without POOL_NX_ALLOCATION in Flags" + which +
                      " hands out executable pool: ";
    scan::Finding f = ctx.at_token("NX2005", c.name, msg + ctx.mode_phrase());
    if (which_cond >= 0) f.condition = ctx.unit.conds[static_cast<std::size_t>(which_cond)];
    if (ctx.mode() == scan::NxMode::OptIn) ctx.pend(std::move(f));
    else ctx.report(std::move(f));
  }
}

}  // namespace nxpool::rules
