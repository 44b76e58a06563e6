// Every rule's fix: given the tokens of the file and one site the scan
// reported (with every finding at it, one per unit and configuration), the
// edits that fix it, or why not. One file per rule, beside nothing else.
#pragma once

#include <string>
#include <vector>

#include "fix/edit.h"
#include "fix/fix.h"
#include "fix/site_tokens.h"

namespace nxpool::fix {

struct Site {
  const FileTokens& ft;
  std::size_t tok;                                 // the token the finding starts at
  std::vector<const scan::Finding*> findings;      // one per unit/configuration, same rule
  const FixOptions& options;
  const scan::ScanResult& scan;                    // unit records: where each unit's mode latched
  bool any_mode(scan::NxMode m) const {
    for (const auto* f : findings)
      if (f->mode == m) return true;
    return false;
  }
  bool all_mode(scan::NxMode m) const {
    for (const auto* f : findings)
      if (f->mode != m) return false;
    return true;
  }
};

struct FixResult {
  std::vector<Edit> edits;
  std::string reason;  // when edits is empty: why not
  static FixResult no(std::string why) { return FixResult{{}, std::move(why)}; }
};

FixResult fix_nx1001(const Site& s);  // move POOL_NX_OPTOUT above the kernel include
FixResult fix_nx1002(const Site& s);  // POOL_NX_OPTOUT 0 / empty -> 1
FixResult fix_nx1005(const Site& s);  // move POOL_NX_OPTIN[_AUTO] above the kernel include
// NX1001 and NX1005 share this (fix_nx1001.cpp).
FixResult move_define_above_latch(const Site& s, const char* rule);
FixResult fix_nx2001(const Site& s);  // NonPagedPool -> NonPagedPoolNx
FixResult fix_nx2003(const Site& s);  // executable-only APIs -> their successors
FixResult fix_nx2004(const Site& s);  // priority | MdlMappingNoExecute
FixResult fix_nx2005(const Site& s);  // lookaside Flags | POOL_NX_ALLOCATION
FixResult fix_nx3001(const Site& s);  // POOL_TYPE in POOL_FLAGS -> POOL_FLAG_*
FixResult fix_nx3004(const Site& s);  // deprecated allocator -> ExAllocatePool2/3 or a wrapper

// Shared: an edit that replaces token i by `with`.
inline Edit replace_token(const FileTokens& ft, std::size_t i, std::string with, const char* rule) {
  return Edit{ft.toks[i].offset, ft.toks[i].length, std::move(with), rule};
}

}  // namespace nxpool::fix
