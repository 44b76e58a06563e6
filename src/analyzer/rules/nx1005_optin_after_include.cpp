// NX1005: #define POOL_NX_OPTIN / POOL_NX_OPTIN_AUTO after the include that
// fixed the mode (docs/mechanism.md §1.2). Tested by cases/nx1005_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"
#include "scan/vocabulary.h"

namespace nxpool::rules {

void check_nx1005(RuleContext& ctx) {
  const pp::Latch& l = ctx.unit.latch;
  for (const pp::NxDefine& d : ctx.unit.nx_defines) {
    if (d.undef || !d.after_latch || (d.name != scan::kOptIn && d.name != scan::kOptInAuto)) continue;
    const pp::NxValue& was = d.name == scan::kOptIn ? l.optin : l.autov;
    if (was.defined && d.value && was.value == d.value) continue;
    ctx.report(ctx.at_loc("NX1005", d.loc, d.cond,
                          d.name + " is defined after '#include <" + l.header +
                              ">', which already fixed this file's NX mode (" + scan::mode_name(ctx.mode()) +
                              "): the opt-in has no effect here"));
  }
}

}  // namespace nxpool::rules
