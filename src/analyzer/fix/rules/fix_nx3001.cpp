// Fix for NX3001 (docs/rules/NX3001.md "Fix"): the POOL_TYPE name in
// ExAllocatePool2/3's flags becomes the POOL_FLAG_* that means what the
// author meant. NonPagedPool is only rewritten where every unit is opted
// in (there it means NX pool); elsewhere its intent is not known.
// Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {

FixResult fix_nx3001(const Site& s) {
  std::string_view name = s.ft.spell(s.tok);
  std::string to;
  if (name == "NonPagedPoolNx") to = "POOL_FLAG_NON_PAGED";
  else if (name == "NonPagedPoolNxCacheAligned") to = "POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED";
  else if (name == "PagedPool") to = "POOL_FLAG_PAGED";
  else if (name == "PagedPoolCacheAligned") to = "POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED";
  else if (name == "NonPagedPoolExecute") to = "POOL_FLAG_NON_PAGED_EXECUTE";
  else if (name == "NonPagedPool") {
    for (const auto* f : s.findings)
      if (f->mode != scan::NxMode::Auto && f->mode != scan::NxMode::OptIn)
        return FixResult::no("'NonPagedPool' in a unit that is not opted in (" + std::string(scan::mode_name(f->mode)) +
                             "): executable or not is the author's choice (POOL_FLAG_NON_PAGED or "
                             "POOL_FLAG_NON_PAGED_EXECUTE)");
    to = "POOL_FLAG_NON_PAGED";
  } else {
    return FixResult::no("no POOL_FLAG_* equivalent of '" + std::string(name) + "'");
  }
  bool alone = true;  // wrap a two-flag replacement when the argument has more than this token
  if (to.find('|') != std::string::npos) {
    auto call = s.tok;  // the token is inside the call's first argument: look at its neighbours
    alone = (call > 0 && (s.ft.is(call - 1, "(") || s.ft.is(call - 1, "|"))) &&
            (s.ft.is(call + 1, ",") || s.ft.is(call + 1, "|") || s.ft.is(call + 1, ")"));
    if (!alone) to = "(" + to + ")";
  }
  return FixResult{{replace_token(s.ft, s.tok, to, "NX3001")}, ""};
}

}  // namespace nxpool::fix
