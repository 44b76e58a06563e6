// The NX part of the preprocessor model (docs/mechanism.md §1.1-§1.3): every #define and
// #undef of the three NX macros is recorded (for NX1001-NX1005), and at the
// first kernel-header include the values in force are latched. On a target
// that is not x86/x64 (and not _NTOS_) the header then removes
// POOL_NX_OPTIN and forces POOL_NX_OPTIN_AUTO to 1, which later #if tests
// in the unit observe too.
// Tested by tests/analyzer/preprocessor_test.cpp and cases/mode_*, nx10*.
#include "pp/preprocessor_impl.h"
#include "scan/vocabulary.h"

namespace nxpool::pp {
namespace {
std::string render_body(const std::vector<PToken>& toks, std::size_t from) {
  std::string s;
  for (std::size_t i = from; i < toks.size(); ++i) {
    if (i > from && (toks[i].flags & lex::kSpaceBefore)) s += ' ';
    s += toks[i].text;
  }
  return s;
}
}  // namespace

void Preprocessor::record_nx_define(const std::vector<PToken>& line, bool undef, const Loc& loc) {
  NxDefine ev;
  ev.name = std::string(line[1].text);
  ev.undef = undef;
  ev.loc = Loc{loc.file, line[1].line, line[1].column};
  ev.after_latch = out_.latch.latched && out_.latch.by_header;
  ev.command_line = loc.file == 0;
  ev.origin = origin_of(loc.file, line[1].line);
  ev.cond = cur_cond_;
  if (!undef) {
    std::span<const PToken> body(line.data() + 2, line.size() > 2 ? line.size() - 2 : 0);
    ev.body = render_body(line, 2);
    ev.empty_body = body.empty();
    if (!body.empty()) {
      EvalResult r = eval_condition(body);
      if (r.known) ev.value = r.value;
    }
  }
  out_.nx_defines.push_back(std::move(ev));
}

NxValue Preprocessor::nx_value(std::string_view name) {
  NxValue v;
  const MacroDef* d = macros_.find(name);
  if (!d) return v;
  v.defined = true;
  v.uncertain = d->uncertain;
  v.cond = d->cond;
  v.origin = d->forced ? "forced by the architecture (not x86/x64)" : origin_of(d->file, d->line);
  if (d->body.empty()) {
    v.empty = true;
    return v;
  }
  EvalResult r = eval_condition(d->body);
  if (r.known) v.value = r.value;
  return v;
}

void Preprocessor::latch_now(const Loc& loc, std::string header, bool by_header) {
  Latch& l = out_.latch;
  l.latched = true;
  l.by_header = by_header;
  l.loc = loc;
  l.header = std::move(header);
  l.optin = nx_value(scan::kOptIn);
  l.autov = nx_value(scan::kOptInAuto);
  l.optout = nx_value(scan::kOptOut);
  l.zero_down_level = macros_.state(scan::kZeroDownLevel) == MacroState::Defined;
  l.x86_or_x64 = macros_.state("_X86_") == MacroState::Defined || macros_.state("_AMD64_") == MacroState::Defined ||
                 macros_.state("_NTOS_") == MacroState::Defined;
  l.cond = cur_cond_;
  if (!l.x86_or_x64) {
    // What wdm.h does on ARM/ARM64 (docs/mechanism.md §1.3): later #if tests see it too.
    macros_.set_state(scan::kOptIn, MacroState::Undefined);
    auto d = std::make_shared<MacroDef>();
    d->name = scan::kOptInAuto;
    PToken one;
    one.text = "1";
    one.kind = lex::TokenKind::Number;
    d->body.push_back(one);
    d->forced = true;
    macros_.define(d);
  }
}
}  // namespace nxpool::pp
