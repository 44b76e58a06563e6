// Fix for NX2005 (docs/rules/NX2005.md "Fix"): the lookaside list's Flags
// get POOL_NX_ALLOCATION (0 becomes POOL_NX_ALLOCATION).
// Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx2005(const Site& s) {
  if (s.any_mode(scan::NxMode::OptOut)) return FixResult::no(kOptedOutReason);
  if (s.ft.spell(s.tok) != "ExInitializeNPagedLookasideList") return FixResult::no("the call is not where the scan saw it");
  auto args = s.ft.call_args(s.tok);
  if (!args || args->ranges.size() < 4 || args->ranges[3].first == args->ranges[3].second)
    return FixResult::no("the call's arguments could not be read");
  return FixResult{or_flag(s.ft, args->ranges[3], "POOL_NX_ALLOCATION", "NX2005"), ""};
}

}  // namespace nxpool::fix
