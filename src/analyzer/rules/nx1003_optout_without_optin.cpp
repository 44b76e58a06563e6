// NX1003: an opt-out in a file that would not be opted in without it, on
// x86/x64 (docs/mechanism.md §1.4: there it changes nothing; on ARM it cancels the forced
// AUTO and is meaningful). Tested by cases/nx1003_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"
#include "scan/vocabulary.h"

namespace nxpool::rules {

void check_nx1003(RuleContext& ctx) {
  const scan::ModeDecision& m = ctx.facts.mode;
  if (m.mode != scan::NxMode::OptOut || m.without_optout != scan::NxMode::None || m.forced_by_arch) return;
  // Report at the definition that was in force when the mode latched.
  const pp::NxDefine* last = nullptr;
  for (const pp::NxDefine& d : ctx.unit.nx_defines)
    if (d.name == scan::kOptOut && !d.after_latch) last = d.undef ? nullptr : &d;
  if (!last) return;
  std::string where = last->command_line ? " (on the command line: " + last->origin + ")" : "";
  ctx.report(ctx.at_loc("NX1003", last->loc, last->cond,
                        "POOL_NX_OPTOUT has no effect: neither POOL_NX_OPTIN nor POOL_NX_OPTIN_AUTO is in force for "
                        "this file" + std::string(ctx.facts.config.empty() ? "" : " in configuration " + ctx.facts.config) +
                            where));
}

}  // namespace nxpool::rules
