// Every rule's entry point. Unit rules run once per translation unit (in id
// order); the image rule runs once per image after all its units.
#pragma once

#include <vector>

#include "rules/rule_context.h"

namespace nxpool::rules {

void check_nx1001(RuleContext& ctx);  // opt-out after the kernel include
void check_nx1002(RuleContext& ctx);  // opt-out defined 0 or empty
void check_nx1003(RuleContext& ctx);  // opt-out with nothing to opt out of
void check_nx1004(RuleContext& ctx);  // OPTIN and AUTO together on x86/x64
void check_nx1005(RuleContext& ctx);  // opt-in after the kernel include
void check_nx1102(RuleContext& ctx);  // runtime init that compiles to nothing
void check_nx1103(RuleContext& ctx);  // runtime init without DrvRtPoolNxOptIn
void check_nx1104(RuleContext& ctx);  // runtime init placement
void check_nx2001(RuleContext& ctx);  // executable pool type in effect
void check_nx2002(RuleContext& ctx);  // explicit executable request
void check_nx2003(RuleContext& ctx);  // executable-only API
void check_nx2004(RuleContext& ctx);  // MDL mapping without NoExecute
void check_nx2005(RuleContext& ctx);  // NPaged lookaside without POOL_NX_ALLOCATION
void check_nx3001(RuleContext& ctx);  // POOL_TYPE passed as POOL_FLAGS
void check_nx3002(RuleContext& ctx);  // bit test against a zero pool type
void check_nx3003(RuleContext& ctx);  // NonPagedPool in a constant context under OPTIN
void check_nx3004(RuleContext& ctx);  // deprecated allocator (off by default)

// Runs every unit rule above (an off-by-default one only when enabled).
void run_unit_rules(RuleContext& ctx);

// NX1101 and the pending OPTIN findings for one image: `units` are the
// outcomes of every unit built into it; findings are appended to `out`.
void resolve_image(const std::string& image, std::vector<UnitOutcome*>& units, std::vector<scan::Finding>& out);

}  // namespace nxpool::rules
