// Fix for NX2001 (docs/rules/NX2001.md "Fix"): the remapped names become
// their NX twins. The other NX2001 sites (NonPagedPoolMustSucceed, a literal
// 0, NonPagedPool after #undef) have no single right spelling and are left
// for a person. Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx2001(const Site& s) {
  std::string_view name = s.ft.spell(s.tok);
  const char* to = name == "NonPagedPool"               ? "NonPagedPoolNx"
                   : name == "NonPagedPoolCacheAligned" ? "NonPagedPoolNxCacheAligned"
                                                        : nullptr;
  if (!to) return FixResult::no("no mechanical fix for '" + std::string(name) + "'");
  if (s.any_mode(scan::NxMode::OptOut)) {
    if (s.options.strategy != Strategy::Explicit || !s.all_mode(scan::NxMode::OptOut)) return FixResult::no(kOptedOutReason);
    to = name == "NonPagedPool" ? "NonPagedPoolExecute" : nullptr;
    if (!to) return FixResult::no("no executable twin of '" + std::string(name) + "' to name");
  }
  return FixResult{{replace_token(s.ft, s.tok, to, "NX2001")}, ""};
}

}  // namespace nxpool::fix
