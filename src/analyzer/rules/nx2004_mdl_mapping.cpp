// NX2004: an MDL mapping whose priority lacks MdlMappingNoExecute in a file
// whose mapping wrapper does not add it (docs/mechanism.md §2.3, §6.1): none and opted-out
// files, and OPTIN files of an image that never initialises the runtime.
// User-mode mappings are always NX and are not reported; a priority held in
// a variable is not judged. Tested by cases/nx2004_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx2004(RuleContext& ctx) {
  if (ctx.mode() == scan::NxMode::Auto) return;
  for (const scan::Call& c : ctx.cs.calls) {
    scan::Word w = scan::classify(ctx.tok(c.name).text);
    std::size_t arg;
    if (w == scan::Word::MmGetSystemAddressForMdlSafe) arg = 1;
    else if (w == scan::Word::MmMapLockedPagesSpecifyCache) arg = 5;
    else continue;
    if (arg >= c.args.size()) continue;
    if (w == scan::Word::MmMapLockedPagesSpecifyCache && ctx.range_has(c.args[1], scan::Word::UserMode)) continue;
    std::string which;
    std::int32_t which_cond = -1;
    bool executable = false;
    for (auto r : alternatives_of(ctx, c.args[arg])) {
      if (ctx.range_has(r, scan::Word::MdlMappingNoExecute)) continue;
      if (auto v = ctx.range_value(r)) {
        if (*v & 0x40000000) continue;
      } else if (!ctx.range_only(r, {scan::Word::PagePriority})) {
        continue;  // a variable: cannot tell
      }
      executable = true;
      which = alternative_condition(ctx, r, c.name);
      if (!which.empty()) which_cond = ctx.tok(r.first).cond;
      break;
    }
    if (!executable) continue;
    std::string msg = word_text(ctx, c.name) + " maps executable memory: the priority has no MdlMappingNoExecute" + which +
                      " and ";
    scan::Finding f = ctx.at_token("NX2004", c.name, msg + ctx.mode_phrase());
    if (which_cond >= 0) f.condition = ctx.unit.conds[static_cast<std::size_t>(which_cond)];
    if (ctx.mode() == scan::NxMode::OptIn) ctx.pend(std::move(f));
    else ctx.report(std::move(f));
  }
}

}  // namespace nxpool::rules
