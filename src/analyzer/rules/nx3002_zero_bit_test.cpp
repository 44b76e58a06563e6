// NX3002: `type & NonPagedPoolExecute` (or `& NonPagedPool` where it is not
// remapped) is always 0 (docs/mechanism.md §5.1; a known converter bug).
// Tested by cases/nx3002_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {

void check_nx3002(RuleContext& ctx) {
  bool pool_is_zero = ctx.mode() == scan::NxMode::None || ctx.mode() == scan::NxMode::OptOut;
  for (const scan::Site& s : ctx.cs.sites) {
    if (!s.bit_test || s.member || s.in_sal || s.is_call) continue;
    std::string name = word_text(ctx, s.idx);
    bool zero = s.word == scan::Word::NonPagedPoolExecute || name == "NonPagedPoolBase" ||
                (pool_is_zero && s.word == scan::Word::NonPagedPool);
    if (!zero) continue;
    ctx.report(ctx.at_token("NX3002", s.idx,
                            "bit test against '" + name + "', which is 0: the result is always 0; compare with == "
                                                           "or test the NX bit (NonPagedPoolNx) instead"));
  }
}

}  // namespace nxpool::rules
