// Fix for NX2004 (docs/rules/NX2004.md "Fix"): the mapping priority gets
// `| MdlMappingNoExecute`. Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx2004(const Site& s) {
  if (s.any_mode(scan::NxMode::OptOut)) return FixResult::no(kOptedOutReason);
  std::string_view name = s.ft.spell(s.tok);
  std::size_t arg = name == "MmGetSystemAddressForMdlSafe" ? 1 : name == "MmMapLockedPagesSpecifyCache" ? 5 : 99;
  auto args = s.ft.call_args(s.tok);
  if (!args || arg >= args->ranges.size() || args->ranges[arg].first == args->ranges[arg].second)
    return FixResult::no("the call's arguments could not be read");
  return FixResult{or_flag(s.ft, args->ranges[arg], "MdlMappingNoExecute", "NX2004"), ""};
}

}  // namespace nxpool::fix
