// Fix for NX1005 (docs/rules/NX1005.md "Fix"): a POOL_NX_OPTIN or
// POOL_NX_OPTIN_AUTO defined after the include that fixed the mode moves
// above that include, with its comment; see fix_nx1001.cpp for how and
// when. Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx1005(const Site& s) { return move_define_above_latch(s, "NX1005"); }

}  // namespace nxpool::fix
