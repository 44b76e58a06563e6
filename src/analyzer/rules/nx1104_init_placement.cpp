// NX1104: under OPTIN, ExInitializeDriverRuntime must be made directly in
// DriverEntry/DllInitialize (C30031/C30035, docs/mechanism.md §8.1) and before the first
// nonpaged allocation there (docs/mechanism.md §3.2).
// Tested by cases/nx1104_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {
namespace {

// A call that takes nonpaged memory before the runtime is initialised.
bool nonpaged_allocation(const RuleContext& ctx, const scan::Call& c) {
  switch (scan::classify(ctx.tok(c.name).text)) {
    case scan::Word::ExInitializeNPagedLookasideList:
    case scan::Word::MmGetSystemAddressForMdlSafe:
    case scan::Word::MmMapLockedPagesSpecifyCache:
      return true;
    case scan::Word::LegacyAllocator:
    case scan::Word::ExInitializeLookasideListEx:
      for (const auto& a : c.args)
        if (ctx.range_has(a, scan::Word::NonPagedPool) || ctx.range_has(a, scan::Word::NonPagedPoolCacheAligned))
          return true;
      return false;
    default:
      return false;
  }
}

}  // namespace

void check_nx1104(RuleContext& ctx) {
  if (ctx.mode() != scan::NxMode::OptIn) return;
  for (std::size_t k = 0; k < ctx.cs.calls.size(); ++k) {
    const scan::Call& c = ctx.cs.calls[k];
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExInitializeDriverRuntime) continue;
    const scan::Site* s = site_at(ctx, c.name);
    if (!s || s->function.empty()) continue;
    if (scan::classify(s->function) != scan::Word::EntryFunction) {
      ctx.report(ctx.at_token("NX1104", c.name,
                              "ExInitializeDriverRuntime is called from '" + std::string(s->function) +
                                  "', not directly from DriverEntry or DllInitialize: allocations made before "
                                  "that helper runs stay executable"));
      continue;
    }
    for (std::size_t j = 0; j < k; ++j) {
      const scan::Call& earlier = ctx.cs.calls[j];
      const scan::Site* es = site_at(ctx, earlier.name);
      if (!es || es->function != s->function || !nonpaged_allocation(ctx, earlier)) continue;
      ctx.report(ctx.at_token("NX1104", c.name,
                              "ExInitializeDriverRuntime is called after the first nonpaged allocation in " +
                                  std::string(s->function) + " (" + word_text(ctx, earlier.name) + " at line " +
                                  std::to_string(ctx.tok(earlier.name).line) + "), which stays executable"));
      break;
    }
  }
}

}  // namespace nxpool::rules
