// Small predicates several rules share.
#pragma once

#include <vector>

#include "rules/rule_context.h"

namespace nxpool::rules {

// A token used as a value: not a member, call, comparison, bit test, SAL
// annotation, declaration, enumerator name or case label (issue 5 item 4).
inline bool value_use(const scan::Site& s) {
  return !s.member && !s.is_call && !s.comparison && !s.bit_test && !s.in_sal && !s.declaration &&
         !s.enumerator_decl && !s.case_label;
}

// Is token idx inside the POOL_FLAGS argument of ExAllocatePool2/3?
inline bool in_pool2_flags(const RuleContext& ctx, std::uint32_t idx) {
  auto pos = ctx.enclosing_call(idx);
  return pos && pos->arg == 0 && scan::classify(ctx.tok(pos->call->name).text) == scan::Word::ExAllocatePool2;
}

// NonPagedPool in a context that needs a constant expression, which it is
// not under OPTIN (docs/mechanism.md §2.5).
inline bool constant_context(const RuleContext& ctx, const scan::Site& s) {
  return s.case_label || s.enumerator_init || s.template_arg || (s.constexpr_decl && s.initializer) ||
         (!ctx.facts.cplusplus && s.initializer && (s.file_scope || s.static_decl)) ||
         // C++: an in-class initializer of a static (non-inline) data member.
         (ctx.facts.cplusplus && s.in_class && s.static_decl && !s.inline_decl && s.initializer);
}

// Index of the call's site in ctx.cs.sites (sites are sorted by token).
inline const scan::Site* site_at(const RuleContext& ctx, std::uint32_t idx) {
  const auto& v = ctx.cs.sites;
  std::size_t lo = 0, hi = v.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (v[mid].idx < idx) lo = mid + 1;
    else hi = mid;
  }
  return lo < v.size() && v[lo].idx == idx ? &v[lo] : nullptr;
}

// Does ExInitializeDriverRuntime's flags argument include DrvRtPoolNxOptIn?
// nullopt when it is a variable the scan cannot evaluate.
inline std::optional<bool> init_has_flag(const RuleContext& ctx, const scan::Call& c) {
  if (c.args.empty()) return false;
  if (ctx.range_has(c.args[0], scan::Word::DrvRtPoolNxOptIn)) return true;
  auto v = ctx.range_value(c.args[0]);
  if (v) return (*v & 1) != 0;
  return std::nullopt;
}

// An argument built from a macro with alternatives (one per arm of an
// unknown #if) is split into one range per alternative.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> alternatives_of(const RuleContext& ctx,
                                                                          std::pair<std::uint32_t, std::uint32_t> r) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  std::uint32_t from = r.first;
  for (std::uint32_t i = r.first; i < r.second; ++i) {
    if (ctx.tok(i).is_punct("#alt")) {
      out.emplace_back(from, i);
      from = i + 1;
    }
  }
  out.emplace_back(from, r.second);
  return out;
}

// " [only when C]" for the condition of an alternative's first token, when it
// differs from the call's own condition (which at_token adds already).
inline std::string alternative_condition(const RuleContext& ctx, std::pair<std::uint32_t, std::uint32_t> alt,
                                         std::uint32_t call) {
  if (alt.first >= alt.second) return "";
  std::int32_t c = ctx.tok(alt.first).cond;
  if (c < 0 || c == ctx.tok(call).cond) return "";
  return " (with the definition used when " + ctx.unit.conds[static_cast<std::size_t>(c)] + ")";
}

inline std::string word_text(const RuleContext& ctx, std::uint32_t idx) { return std::string(ctx.tok(idx).text); }

}  // namespace nxpool::rules
