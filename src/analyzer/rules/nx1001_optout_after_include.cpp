// NX1001: POOL_NX_OPTOUT defined after the first include that reaches
// wdm.h (docs/mechanism.md §1.2, §4.3: the docs' "before the first
// NonPagedPool" is not enough). Tested by cases/nx1001_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"
#include "scan/vocabulary.h"

namespace nxpool::rules {

void check_nx1001(RuleContext& ctx) {
  const pp::Latch& l = ctx.unit.latch;
  for (const pp::NxDefine& d : ctx.unit.nx_defines) {
    if (d.name != scan::kOptOut || d.undef || !d.after_latch) continue;
    if (l.optout.defined && d.value && l.optout.value == d.value) continue;  // same value again: harmless
    ctx.report(ctx.at_loc("NX1001", d.loc, d.cond,
                          "POOL_NX_OPTOUT is defined after '#include <" + l.header +
                              ">', which already fixed this file's NX mode (" + scan::mode_name(ctx.mode()) +
                              "): the opt-out has no effect"));
  }
}

}  // namespace nxpool::rules
