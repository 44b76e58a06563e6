// NX1103: ExInitializeDriverRuntime under OPTIN whose flags do not include
// DrvRtPoolNxOptIn: the globals keep their executable defaults (docs/mechanism.md §3.2
// step 3). A flags variable the scan cannot evaluate is not reported.
// Tested by cases/nx1103_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx1103(RuleContext& ctx) {
  if (ctx.mode() != scan::NxMode::OptIn) return;
  for (const scan::Call& c : ctx.cs.calls) {
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExInitializeDriverRuntime) continue;
    if (init_has_flag(ctx, c) != false) continue;
    ctx.report(ctx.at_token("NX1103", c.name,
                            "ExInitializeDriverRuntime is called without DrvRtPoolNxOptIn: this OPTIN file's "
                            "NonPagedPool allocations stay executable"));
  }
}

}  // namespace nxpool::rules
