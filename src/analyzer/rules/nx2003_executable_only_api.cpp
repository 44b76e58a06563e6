// NX2003: APIs that only ever give executable memory (docs/mechanism.md §6.1, C30029):
// MmMapIoSpace, MmAllocateContiguousMemory, MmMapLockedPages, and the
// contiguous SpecifyCache[Node] allocators with MmCached (C30030).
// Tested by cases/nx2003_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx2003(RuleContext& ctx) {
  for (const scan::Call& c : ctx.cs.calls) {
    scan::Word w = scan::classify(ctx.tok(c.name).text);
    std::string name = word_text(ctx, c.name);
    if (w == scan::Word::ExecutableOnlyApi) {
      std::string instead = name == "MmMapIoSpace" ? "MmMapIoSpaceEx with PAGE_READWRITE|PAGE_NOCACHE"
                            : name == "MmMapLockedPages" ? "MmMapLockedPagesSpecifyCache with MdlMappingNoExecute"
                                                         : "MmAllocateContiguousNodeMemory with PAGE_READWRITE";
      ctx.report(ctx.at_token("NX2003", c.name, name + " always returns executable memory; use " + instead));
    } else if (w == scan::Word::ContiguousSpecifyCache && c.args.size() >= 5) {
      bool cached = ctx.range_has(c.args[4], scan::Word::MmCached) || ctx.range_value(c.args[4]) == 1;
      if (cached)
        ctx.report(ctx.at_token("NX2003", c.name,
                                name + " with MmCached returns executable memory; use MmNonCached or "
                                       "MmAllocateContiguousNodeMemory with PAGE_READWRITE"));
    }
  }
}

}  // namespace nxpool::rules
