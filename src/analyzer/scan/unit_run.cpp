// One unit's scan: its own definition origins put into the shared
// preprocessing, the mode decided, the rules run (twice when the mode hangs
// on a #define under an unknown condition), and the unit record.
// Tested by tests/analyzer/scanner_test.cpp and tests/analyzer/case_runner_test.cpp.
#include "scan/unit_run.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace nxpool::scan {

namespace {

// `tpl` with every placeholder replaced by the unit's origin text.
std::string with_origins(const std::string& tpl, const std::vector<std::string>& origins) {
  if (tpl.find('\x02') == std::string::npos) return tpl;
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    std::size_t end = tpl[i] == '\x02' ? tpl.find('\x03', i) : std::string::npos;
    if (end == std::string::npos) {
      out += tpl[i];
      continue;
    }
    std::size_t n = std::stoul(tpl.substr(i + 1, end - i - 1));
    out += n < origins.size() ? origins[n] : std::string();
    i = end;
  }
  return out;
}

void set_origins(Prepared& p, const std::vector<std::string>& origins) {
  p.pre.latch.optin.origin = with_origins(p.latch_origin[0], origins);
  p.pre.latch.autov.origin = with_origins(p.latch_origin[1], origins);
  p.pre.latch.optout.origin = with_origins(p.latch_origin[2], origins);
  for (std::size_t i = 0; i < p.define_origin.size(); ++i)
    p.pre.nx_defines[i].origin = with_origins(p.define_origin[i], origins);
}

// OPTIN units: does the unit call ExInitializeDriverRuntime with the
// DrvRtPoolNxOptIn bit, and where NX1101 is anchored.
void note_optin_init(rules::RuleContext& ctx, const pp::PreprocessedUnit& pre, const CodeStructure& cs,
                     rules::UnitOutcome& out) {
  for (const Call& c : cs.calls) {
    if (classify(pre.code[c.name].text) != Word::ExInitializeDriverRuntime) continue;
    bool has = !c.args.empty() && (ctx.range_has(c.args[0], Word::DrvRtPoolNxOptIn) ||
                                   (ctx.range_value(c.args[0]).value_or(1) & 1));
    out.valid_init = out.valid_init || has;
  }
  out.nx1101_anchor = ctx.at_loc("NX1101", pre.latch.by_header ? pre.latch.loc : pp::Loc{}, -1, "");
}

// When the mode hangs on a #define under an unknown condition, the other
// outcome is analysed too: without those definitions, under the negated
// condition. Only findings the first pass did not make are added.
void run_other_outcome(const pp::PreprocessedUnit& pre, const CodeStructure& cs, const rules::UnitFacts& facts,
                       rules::UnitOutcome& out) {
  pp::Latch alt_latch = pre.latch;
  std::string negated;
  for (pp::NxValue* v : {&alt_latch.optin, &alt_latch.autov, &alt_latch.optout}) {
    if (!v->defined || !v->uncertain || v->cond < 0) continue;
    const std::string& c = pre.conds[static_cast<std::size_t>(v->cond)];
    bool wrapped = c.size() > 1 && c.front() == '(' && c.back() == ')' &&
                   std::count(c.begin(), c.end(), '(') == 1;
    bool simple = c.find_first_of(" &|<>=!()") == std::string::npos;
    std::string neg = wrapped || simple ? "!" + c : "!(" + c + ")";
    if (negated.find(neg) == std::string::npos) negated += (negated.empty() ? "" : " || ") + neg;
    *v = pp::NxValue{};
  }
  if (negated.empty()) return;
  rules::UnitFacts alt_facts = facts;
  alt_facts.mode = decide_mode(alt_latch);
  if (alt_facts.mode.mode == facts.mode.mode) return;
  rules::UnitOutcome alt;
  rules::RuleContext alt_ctx(pre, alt_facts, cs, alt);
  rules::run_unit_rules(alt_ctx);
  std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> seen;
  for (const Finding& f : out.findings) seen.emplace(f.rule, f.line, f.column, f.file);
  for (const Finding& f : out.pending) seen.emplace(f.rule, f.line, f.column, f.file);
  for (Finding& f : alt.findings) {
    if (seen.count({f.rule, f.line, f.column, f.file})) continue;
    f.condition = f.condition.empty() ? negated : f.condition + " && " + negated;
    f.message += " [only when " + negated + ", where the file is " + mode_name(alt_facts.mode.mode) + "]";
    out.findings.push_back(std::move(f));
  }
}

UnitRecord unit_record(const PendingUnit& pu, const std::string& display, const ModeDecision& mode,
                       model::Arch arch, const pp::PreprocessedUnit& pre) {
  UnitRecord rec;
  rec.file = display;
  rec.config = pu.unit.config;
  rec.image = pu.unit.image;
  rec.mode = mode.mode;
  rec.source = mode.source;
  // The header forces AUTO on every target but x86/x64; say which one.
  if (mode.forced_by_arch && mode.mode == NxMode::Auto) {
    if (arch == model::Arch::Arm64) rec.source = "forced by ARM64";
    else if (arch == model::Arch::Arm) rec.source = "forced by ARM";
    if (!pre.latch.by_header && !pre.latch.latched) rec.source += " (no kernel header reached: not latched)";
  }
  rec.uncertain = mode.uncertain;
  rec.arch = arch_name(arch);
  if (pre.latch.by_header && pre.latch.loc.file != 0)
    rec.latch = pp::display_path(pre.files[pre.latch.loc.file]) + ":" + std::to_string(pre.latch.loc.line);
  return rec;
}

}  // namespace

Prepared prepare_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache) {
  Prepared p;
  p.in = make_input(pu, opt, unit_arch(pu, opt), false);
  for (std::size_t i = 0; i < p.in.predefine_origins.size(); ++i)
    p.in.predefine_origins[i] = "\x02" + std::to_string(i) + "\x03";
  p.pre = pp::preprocess(p.in, cache);
  if (!p.pre.main_readable) return p;
  p.cs = analyze_structure(p.pre.code);
  p.latch_origin[0] = p.pre.latch.optin.origin;
  p.latch_origin[1] = p.pre.latch.autov.origin;
  p.latch_origin[2] = p.pre.latch.optout.origin;
  for (const pp::NxDefine& d : p.pre.nx_defines) p.define_origin.push_back(d.origin);
  return p;
}

UnitRun run_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache, Prepared& prep) {
  UnitRun run;
  model::Arch arch = unit_arch(pu, opt);
  if (prep.pre.main_readable) set_origins(prep, make_input(pu, opt, arch).predefine_origins);
  const pp::PreprocessedUnit& pre = prep.pre;
  std::string display = pp::display_path(pu.path);
  if (!pre.main_readable) {
    auto cf = cache.get(pu.path);
    bool binary = cf->source.status == lex::LoadStatus::Binary;
    run.diags.push_back(input_diag(display, 0, 0, binary ? model::Severity::Note : model::Severity::Error,
                                   cf->source.message));
    return run;
  }
  for (const pp::UnitDiag& d : pre.diags) {
    std::string file = d.loc.file == 0 ? display : pp::display_path(pre.files[d.loc.file]);
    run.diags.push_back(input_diag(file, d.loc.line, d.loc.column, d.severity, d.message));
  }
  // User-mode code has no NX pool mechanism: no latch, no architecture
  // forcing, no rules (issue 9 item 2). It is still preprocessed, so the
  // files it includes are not scanned again as loose kernel files.
  if (!pu.unit.kernel_mode) {
    ModeDecision user;
    user.mode = NxMode::User;
    user.source = "user-mode code (no /kernel: a UMDF driver, application or DLL): no NX pool";
    run.record = unit_record(pu, display, user, arch, pre);
    run.record->latch.clear();
    return run;
  }
  rules::UnitFacts facts;
  facts.mode = decide_mode(pre.latch);
  facts.config = pu.unit.config;
  facts.image = pu.unit.image;
  facts.main_file = display;
  facts.cplusplus = prep.in.cplusplus;
  facts.hvci = opt.hvci;
  facts.ntddi = rules::unit_target(pu.unit);
  facts.enabled_rules = opt.enabled_rules;
  rules::UnitOutcome& out = run.outcome;
  rules::RuleContext ctx(pre, facts, prep.cs, out);
  out.optin = facts.mode.mode == NxMode::OptIn;
  if (out.optin) note_optin_init(ctx, pre, prep.cs, out);
  rules::run_unit_rules(ctx);
  run_other_outcome(pre, prep.cs, facts, out);
  run.record = unit_record(pu, display, facts.mode, arch, pre);
  return run;
}

}  // namespace nxpool::scan
