// Shared helpers for the rules and the per-unit / per-image drivers.
// Tested through every case in tests/analyzer/cases/.
#include "rules/rule_context.h"

#include <algorithm>
#include <cstdlib>

#include "pp/expr_eval.h"
#include "pp/file_cache.h"
#include "rules/registry.h"
#include "rules/rules.h"
#include "scan/target_version.h"

namespace nxpool::rules {

RuleContext::RuleContext(const pp::PreprocessedUnit& u, const UnitFacts& f, const scan::CodeStructure& c,
                         UnitOutcome& o)
    : unit(u), facts(f), cs(c), out(o) {}

namespace {
scan::Finding base_finding(std::string_view rule, const UnitFacts& facts) {
  scan::Finding f;
  f.rule = std::string(rule);
  const RuleInfo* info = find_rule(rule);
  f.severity = info ? info->severity : model::Severity::Warning;
  if (info && info->executable_site && facts.hvci) f.severity = model::Severity::Error;
  f.mode = facts.mode.mode;
  f.config = facts.config;
  f.image = facts.image;
  f.unit = facts.main_file;
  return f;
}
}  // namespace

scan::Finding RuleContext::at_token(std::string_view rule, std::uint32_t idx, std::string message) const {
  const pp::PToken& t = unit.code[idx];
  scan::Finding f = base_finding(rule, facts);
  f.file = pp::display_path(unit.files[t.file]);
  f.line = t.line;
  f.column = t.column;
  f.end_column = t.column + std::max<std::uint32_t>(t.length, 1);
  if (t.macro >= 0) {
    f.macro = unit.macros[static_cast<std::size_t>(t.macro)];
    message += " (in the expansion of macro '" + f.macro + "')";
  }
  if (t.cond >= 0) {
    f.condition = unit.conds[static_cast<std::size_t>(t.cond)];
    message += " [only when " + f.condition + "]";
  }
  f.message = std::move(message);
  return f;
}

scan::Finding RuleContext::at_loc(std::string_view rule, const pp::Loc& loc, std::int32_t cond,
                                  std::string message) const {
  scan::Finding f = base_finding(rule, facts);
  if (loc.file == 0 || loc.line == 0) {
    f.file = facts.main_file;
    f.line = 1;
    f.column = 1;
    f.end_column = 2;
  } else {
    f.file = pp::display_path(unit.files[loc.file]);
    f.line = loc.line;
    f.column = loc.column;
    f.end_column = loc.column + 1;
  }
  if (cond >= 0) {
    f.condition = unit.conds[static_cast<std::size_t>(cond)];
    message += " [only when " + f.condition + "]";
  }
  f.message = std::move(message);
  return f;
}

std::optional<RuleContext::ArgPos> RuleContext::enclosing_call(std::uint32_t idx) const {
  std::optional<ArgPos> best;
  for (const scan::Call& c : cs.calls) {
    if (c.open > idx) break;
    if (idx >= c.close) continue;
    for (std::size_t a = 0; a < c.args.size(); ++a) {
      if (idx >= c.args[a].first && idx < c.args[a].second) {
        best = ArgPos{&c, a};  // later calls are nested deeper
        break;
      }
    }
  }
  return best;
}

bool RuleContext::range_has(std::pair<std::uint32_t, std::uint32_t> r, scan::Word w) const {
  for (std::uint32_t i = r.first; i < r.second; ++i)
    if (unit.code[i].kind == lex::TokenKind::Identifier && scan::classify(unit.code[i].text) == w) return true;
  return false;
}

std::optional<std::int64_t> RuleContext::range_value(std::pair<std::uint32_t, std::uint32_t> r) const {
  std::vector<pp::PToken> toks;
  for (std::uint32_t i = r.first; i < r.second; ++i) {
    const pp::PToken& t = unit.code[i];
    if (t.kind == lex::TokenKind::Identifier) return std::nullopt;
    toks.push_back(t);
  }
  if (toks.empty()) return std::nullopt;
  pp::EvalResult e = pp::evaluate(toks, [](std::string_view) { return std::nullopt; });
  if (!e.known) return std::nullopt;
  return e.value;
}

bool RuleContext::range_only(std::pair<std::uint32_t, std::uint32_t> r,
                             std::initializer_list<scan::Word> allowed) const {
  if (r.first >= r.second) return false;
  for (std::uint32_t i = r.first; i < r.second; ++i) {
    const pp::PToken& t = unit.code[i];
    if (t.kind != lex::TokenKind::Identifier) continue;
    scan::Word w = scan::classify(t.text);
    if (std::find(allowed.begin(), allowed.end(), w) == allowed.end()) {
      // A cast such as (ULONG) is fine: an identifier directly inside parentheses.
      bool cast = i > r.first && unit.code[i - 1].is_punct("(") && i + 1 < r.second && unit.code[i + 1].is_punct(")");
      if (!cast) return false;
    }
  }
  return true;
}

std::string RuleContext::mode_phrase() const {
  switch (facts.mode.mode) {
    case scan::NxMode::None:
      return "no NX opt-in is in effect in this file";
    case scan::NxMode::OptOut:
      return "this file is opted out (" + facts.mode.source + ")";
    case scan::NxMode::OptIn:
      return "this file is OPTIN, but no OPTIN file of image '" + facts.image +
             "' calls ExInitializeDriverRuntime(DrvRtPoolNxOptIn)";
    case scan::NxMode::Auto:
      return "this file is AUTO";
    case scan::NxMode::User:
      return "this file is user-mode code";
  }
  return "";
}

std::uint32_t unit_target(const model::CompileUnit& u) {
  std::optional<std::uint32_t> from_define;
  for (const model::Definition& d : u.definitions) {
    if (d.name != "NTDDI_VERSION") continue;
    from_define = 0;
    if (d.undefine || !d.value) continue;
    std::string v = *d.value;
    // A name: look it up among the sdkddkver.h constants every kernel unit gets.
    for (const std::string& l : scan::version_constant_lines())
      if (l.starts_with("#define " + v + " ")) v = l.substr(9 + v.size());
    char* end = nullptr;
    unsigned long n = std::strtoul(v.c_str(), &end, 0);
    if (end && *end == '\0' && !v.empty()) from_define = static_cast<std::uint32_t>(n);
  }
  return from_define ? *from_define : u.ntddi_version;
}

void run_unit_rules(RuleContext& ctx) {
  check_nx1001(ctx);
  check_nx1002(ctx);
  check_nx1003(ctx);
  check_nx1004(ctx);
  check_nx1005(ctx);
  check_nx1102(ctx);
  check_nx1103(ctx);
  check_nx1104(ctx);
  check_nx2001(ctx);
  check_nx2002(ctx);
  check_nx2003(ctx);
  check_nx2004(ctx);
  check_nx2005(ctx);
  check_nx3001(ctx);
  check_nx3002(ctx);
  check_nx3003(ctx);
  if (ctx.facts.enabled("NX3004")) check_nx3004(ctx);
}

}  // namespace nxpool::rules
