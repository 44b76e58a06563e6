// NX1102: ExInitializeDriverRuntime called from a file where its NX part is
// compiled out: the inline body is selected by the calling file's macros
// (docs/mechanism.md §3.2). With POOL_ZERO_DOWN_LEVEL_SUPPORT the call still does the
// pool-zeroing work, so a call without DrvRtPoolNxOptIn is then legitimate
// (the XDP pattern, docs/mechanism.md §3.3); a call with the flag is reported with what
// it does do. On ARM/ARM64 the header removes an OPTIN the build asked for
// (docs/mechanism.md §1.3); the call is then needed by the x86/x64 builds of the same
// source and is not reported for ARM.
// Severity fits the harm (issue 9 item 8): in an AUTO file NonPagedPool is
// already NX, so the call is a note; in a file with no opt-in, or opted out,
// the author believes the image is opted in when it is not: a warning.
// Tested by cases/nx1102_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx1102(RuleContext& ctx) {
  if (ctx.mode() == scan::NxMode::OptIn) return;
  if (ctx.facts.mode.forced_by_arch && ctx.unit.latch.optin.effective() != 0) return;
  bool zeroing = ctx.unit.latch.zero_down_level;
  for (const scan::Call& c : ctx.cs.calls) {
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExInitializeDriverRuntime) continue;
    std::optional<bool> flag = init_has_flag(ctx, c);
    if (zeroing && flag != true) continue;
    std::string why;
    switch (ctx.mode()) {
      case scan::NxMode::Auto: why = "this file is AUTO, where NonPagedPool is already NX"; break;
      case scan::NxMode::OptOut: why = "this file is opted out (" + ctx.facts.mode.source + ")"; break;
      default: why = "this file is not compiled with POOL_NX_OPTIN"; break;
    }
    std::string what = zeroing ? "ExInitializeDriverRuntime only sets up pool zeroing here "
                                 "(POOL_ZERO_DOWN_LEVEL_SUPPORT: it asks the system whether pool zeroing is "
                                 "native); its DrvRtPoolNxOptIn flag does nothing: "
                               : "ExInitializeDriverRuntime compiles to nothing here: ";
    scan::Finding f = ctx.at_token("NX1102", c.name,
                                   what + why + ", and the call only switches the image's pool to NX when made "
                                                "from an OPTIN file");
    if (ctx.mode() == scan::NxMode::Auto) f.severity = model::Severity::Note;
    ctx.report(std::move(f));
  }
}

}  // namespace nxpool::rules
