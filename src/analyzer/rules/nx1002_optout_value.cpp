// NX1002: POOL_NX_OPTOUT defined as 0 (the header tests the value, so 0 does
// not opt out) or with an empty body (the header's #if becomes a syntax
// error). An empty POOL_NX_OPTIN/_AUTO breaks the header the same way and is
// reported here too (docs/mechanism.md §1.1). Tested by cases/nx1002_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"
#include "scan/vocabulary.h"

namespace nxpool::rules {

void check_nx1002(RuleContext& ctx) {
  for (const pp::NxDefine& d : ctx.unit.nx_defines) {
    if (d.undef) continue;
    std::string where = d.command_line ? " (on the command line: " + d.origin + ")" : "";
    if (d.empty_body) {
      scan::Finding f = ctx.at_loc("NX1002", d.loc, d.cond,
                                   d.name + " is defined with an empty body: wdm.h tests it with #if, which then "
                                            "fails to compile; write '" + d.name + " 1'" + where);
      f.severity = model::Severity::Error;
      ctx.report(std::move(f));
    } else if (d.name == scan::kOptOut && d.value && *d.value == 0) {
      ctx.report(ctx.at_loc("NX1002", d.loc, d.cond,
                            "POOL_NX_OPTOUT is defined as 0, which does not opt out: the header tests the value, "
                            "so 0 is the same as not defining it" + where));
    }
  }
}

}  // namespace nxpool::rules
