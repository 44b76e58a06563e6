// NX2001: a pool type that is executable in effect where it is used as a
// value (docs/mechanism.md §2.1): NonPagedPool / NonPagedPoolCacheAligned in a file that
// is not opted in (pending under OPTIN until the image is known to
// initialise the runtime), the MustSucceed/Session/Base names that no mode
// remaps, a literal 0 passed as a POOL_TYPE, and NonPagedPool after the file
// #undef's the header's remapping macro.
// Tested by cases/nx2001_*.c and the trap cases.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {
namespace {

// A range that is just `0`, possibly behind a cast such as (POOL_TYPE).
std::optional<std::uint32_t> literal_zero(const RuleContext& ctx, std::pair<std::uint32_t, std::uint32_t> r) {
  std::uint32_t i = r.first;
  while (i + 2 < r.second && ctx.tok(i).is_punct("(") && ctx.tok(i + 1).is_ident() && ctx.tok(i + 2).is_punct(")"))
    i += 3;
  if (i + 1 != r.second) return std::nullopt;
  const pp::PToken& t = ctx.tok(i);
  if (t.kind != lex::TokenKind::Number || ctx.range_value({i, i + 1}) != 0) return std::nullopt;
  return i;
}

}  // namespace

void check_nx2001(RuleContext& ctx) {
  for (const scan::Site& s : ctx.cs.sites) {
    bool remapped = s.word == scan::Word::NonPagedPool || s.word == scan::Word::NonPagedPoolCacheAligned;
    bool fixed = s.word == scan::Word::NonPagedFixedExecutable;
    if ((!remapped && !fixed) || !value_use(s) || in_pool2_flags(ctx, s.idx)) continue;
    std::string name = word_text(ctx, s.idx);
    if (fixed) {
      ctx.report(ctx.at_token("NX2001", s.idx,
                              "'" + name + "' is an executable nonpaged pool type that no opt-in mode remaps"));
      continue;
    }
    // After `#undef NonPagedPool` the name is the raw executable value 0.
    bool raw = false;
    for (const auto& [undef_name, from] : ctx.unit.pool_undefs)
      raw = raw || (undef_name == name && s.idx >= from);
    if (raw && (ctx.mode() == scan::NxMode::Auto || ctx.mode() == scan::NxMode::OptIn)) {
      ctx.report(ctx.at_token("NX2001", s.idx,
                              "'" + name + "' allocates executable pool: the header's remapping was removed by "
                                           "#undef " + name + " in this file"));
      continue;
    }
    switch (ctx.mode()) {
      case scan::NxMode::Auto:
        break;
      case scan::NxMode::OptIn:
        if (!constant_context(ctx, s))
          ctx.pend(ctx.at_token("NX2001", s.idx, "'" + name + "' stays executable: " + ctx.mode_phrase()));
        break;
      default:
        ctx.report(ctx.at_token("NX2001", s.idx, "'" + name + "' allocates executable pool: " + ctx.mode_phrase()));
    }
  }
  for (const scan::Call& c : ctx.cs.calls) {
    scan::Word w = scan::classify(ctx.tok(c.name).text);
    std::size_t arg = w == scan::Word::LegacyAllocator ? 0 : w == scan::Word::ExInitializeLookasideListEx ? 3 : 99;
    if (arg >= c.args.size()) continue;
    if (auto zero = literal_zero(ctx, c.args[arg])) {
      ctx.report(ctx.at_token("NX2001", *zero,
                              "literal 0 passed as the pool type of " + word_text(ctx, c.name) +
                                  " is NonPagedPoolExecute, which no opt-in mode remaps"));
    }
  }
}

}  // namespace nxpool::rules
