// NX3001: a POOL_TYPE name in the POOL_FLAGS argument of ExAllocatePool2/3
// (docs/mechanism.md §5.3, §7.8; the common mechanical-migration bug).
// Tested by cases/nx3001_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx3001(RuleContext& ctx) {
  for (const scan::Call& c : ctx.cs.calls) {
    if (scan::classify(ctx.tok(c.name).text) != scan::Word::ExAllocatePool2 || c.args.empty()) continue;
    for (std::uint32_t i = c.args[0].first; i < c.args[0].second; ++i) {
      const pp::PToken& t = ctx.tok(i);
      if (!t.is_ident()) continue;
      scan::Word w = scan::classify(t.text);
      if (w != scan::Word::NonPagedPool && w != scan::Word::NonPagedPoolCacheAligned &&
          w != scan::Word::NonPagedPoolExecute && w != scan::Word::NonPagedFixedExecutable &&
          w != scan::Word::OtherPoolType)
        continue;
      std::string name(t.text);
      std::string meaning = name == "PagedPool" ? "PagedPool is 1, which means POOL_FLAG_USE_QUOTA"
                            : (w == scan::Word::NonPagedPool || w == scan::Word::NonPagedPoolExecute)
                                ? name + " is 0 (or a POOL_TYPE variable under an opt-in), which names no pool kind and the allocation fails"
                                : name + " is a POOL_TYPE value, not a combination of POOL_FLAG_* bits";
      ctx.report(ctx.at_token("NX3001", i,
                              "'" + name + "' is a POOL_TYPE but " + std::string(ctx.tok(c.name).text) +
                                  " takes POOL_FLAGS: " + meaning + "; use POOL_FLAG_NON_PAGED or POOL_FLAG_PAGED"));
    }
  }
}

}  // namespace nxpool::rules
