// NX1102: ExInitializeDriverRuntime called from a file where its NX part is
// compiled out: the inline body is selected by the calling file's macros
// (docs/mechanism.md §3.2). With POOL_ZERO_DOWN_LEVEL_SUPPORT the call still does the
// pool-zeroing work, so a call without DrvRtPoolNxOptIn is then legitimate
// (docs/mechanism.md §3.3). On ARM/ARM64 the header removes an OPTIN
// the build asked for (docs/mechanism.md §1.3); the call is then needed by the x86/x64
// builds of the same source and is not reported for ARM.
// Tested by cases/nx1102_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx1102(RuleContext& ctx) {
  if (ctx.mode() == scan::NxMode::OptIn) return;
  if (ctx.facts.mode.forced_by_arch && ctx.unit.latch.optin.effective() != 0) return;
  for (const scan::Call& c : ctx.cs.calls) {
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExInitializeDriverRuntime) continue;
    std::optional<bool> flag = init_has_flag(ctx, c);
    if (ctx.unit.latch.zero_down_level && flag != true) continue;
    std::string why;
    switch (ctx.mode()) {
      case scan::NxMode::Auto: why = "this file is AUTO, where NonPagedPool is already NX"; break;
      case scan::NxMode::OptOut: why = "this file is opted out (" + ctx.facts.mode.source + ")"; break;
      default: why = "this file is not compiled with POOL_NX_OPTIN"; break;
    }
    ctx.report(ctx.at_token("NX1102", c.name,
                            "ExInitializeDriverRuntime compiles to nothing here: " + why +
                                ", and the call only switches the image's pool to NX when made from an OPTIN file"));
  }
}

}  // namespace nxpool::rules
