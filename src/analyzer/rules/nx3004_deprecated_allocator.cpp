// NX3004: the POOL_TYPE allocators that Windows 10 2004 deprecated
// (docs/rules/NX3004.md). A note, off by default: a driver that still
// targets an older Windows has no ExAllocatePool2, and the call is not an
// NX problem by itself (NX2001 reports the executable ones). The finding
// carries the unit's target version, which decides what `nxpool fix`
// replaces it with (fix/rules/fix_nx3004.cpp).
// Tested by tests/analyzer/cases/nx3004_*.c.
#include <cstdio>

#include "rules/rules.h"

namespace nxpool::rules {
namespace {

constexpr std::string_view kDeprecated[] = {"ExAllocatePool", "ExAllocatePoolWithTag", "ExAllocatePoolWithQuota",
                                            "ExAllocatePoolWithQuotaTag", "ExAllocatePoolWithTagPriority"};

std::string target_text(std::uint32_t ntddi) {
  if (ntddi == 0) return "the build does not say which Windows it targets";
  char buf[64];
  std::snprintf(buf, sizeof buf, "the target is NTDDI 0x%08X", ntddi);
  return buf;
}

}  // namespace

void check_nx3004(RuleContext& ctx) {
  for (const scan::Call& c : ctx.cs.calls) {
    std::string_view name = ctx.tok(c.name).text;
    bool deprecated = false;
    for (std::string_view d : kDeprecated) deprecated = deprecated || name == d;
    if (!deprecated) continue;
    bool pool3 = name == "ExAllocatePoolWithTagPriority";
    std::string successor = pool3 ? "ExAllocatePool3" : "ExAllocatePool2";
    scan::Finding f = ctx.at_token(
        "NX3004", c.name,
        "'" + std::string(name) + "' is deprecated from Windows 10 2004 (C28751): use " + successor +
            " with POOL_FLAGS where the driver targets 2004 or later (" + target_text(ctx.facts.ntddi) + ")");
    f.ntddi = ctx.facts.ntddi;
    ctx.report(std::move(f));
  }
}

}  // namespace nxpool::rules
