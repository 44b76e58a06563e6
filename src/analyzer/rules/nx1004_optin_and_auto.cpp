// NX1004: POOL_NX_OPTIN and POOL_NX_OPTIN_AUTO both non-zero on x86/x64 with
// no opt-out: wdm.h picks AUTO, does not define the NX globals, and
// ExInitializeDriverRuntime's body then fails to compile (docs/mechanism.md §7.3).
// Tested by cases/nx1004_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx1004(RuleContext& ctx) {
  if (!ctx.facts.mode.optin_and_auto) return;
  const pp::Latch& l = ctx.unit.latch;
  ctx.report(ctx.at_loc("NX1004", l.loc, l.cond,
                        "both POOL_NX_OPTIN (" + l.optin.origin + ") and POOL_NX_OPTIN_AUTO (" + l.autov.origin +
                            ") are set on x86/x64: wdm.h selects AUTO and no longer declares "
                            "ExDefaultNonPagedPoolType, so this file does not compile"));
}

}  // namespace nxpool::rules
