// Conditionals of the preprocessor model (docs/mechanism.md §1.1-§1.2).
//
// Each #if level keeps the unknown conditions of the arms before the
// current one. An arm whose condition is known false is skipped; one known
// true is taken and settles the chain; an unknown arm is taken under the
// condition "its expression and none of the earlier unknown arms", and
// tokens inside carry that text so findings can say when they hold. Macros
// defined inside an unknown arm are marked uncertain, and #undef there makes
// a name unknown.
//
// Include guards would otherwise look unknown (the guard macro was never
// seen), so `#ifndef X` directly followed by `#define X` is treated as known
// true.
// Tested by tests/analyzer/preprocessor_test.cpp and tests/analyzer/cases/.
#include <string>

#include "pp/preprocessor_impl.h"

namespace nxpool::pp {

// The raw name after `# define` when the next line is that directive, else
// empty: an `#ifndef X` directly followed by `#define X` is an include guard.
std::string_view Preprocessor::next_guard_define(const FileLexer& fl) {
  lex::Lexer copy = fl.lx;
  lex::Token t = fl.cur;
  std::string_view buf = fl.lx.text();
  if (t.kind != lex::TokenKind::Punct || !t.at_bol() || buf.substr(t.offset, t.length) != "#") return {};
  t = copy.next();
  if (buf.substr(t.offset, t.length) != "define" || t.at_bol()) return {};
  t = copy.next();
  if (t.at_bol()) return {};
  return buf.substr(t.offset, t.length);
}

namespace {
std::string render(const std::vector<PToken>& toks, std::size_t from) {
  std::string s;
  for (std::size_t i = from; i < toks.size(); ++i) {
    if (i > from && (toks[i].flags & lex::kSpaceBefore) && s.back() != '(' && !toks[i].is_punct(")")) s += ' ';
    s += toks[i].text;
  }
  return s;
}
bool simple(const std::string& s) {
  return s.find_first_of(" &|<>=+-*/?:") == std::string::npos;
}
bool parenthesised(const std::string& s) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
    if (depth == 0 && i + 1 < s.size()) return false;
  }
  return true;
}
std::string negate(const std::string& s) {
  if (simple(s)) return s.size() > 1 && s[0] == '!' ? s.substr(1) : "!" + s;
  if (parenthesised(s)) return "!" + s;
  return "!(" + s + ")";
}
std::string join(const std::vector<std::string>& parts, const std::string& extra) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : " && ") + p;
  if (!extra.empty()) s += (s.empty() ? "" : " && ") + extra;
  return s;
}
}  // namespace

void Preprocessor::do_if(std::string_view kind, const std::vector<PToken>& line, std::string_view next_define,
                         bool guard_try) {
  Loc loc{line[0].file, line[0].line, line[0].column > 1 ? line[0].column - 1 : 1};
  auto evaluate_arm = [&](std::string_view k, CondFrame& f) {
    bool known = false;
    std::int64_t value = 0;
    std::string text;
    if (k == "ifdef" || k == "ifndef" || k == "elifdef" || k == "elifndef") {
      bool want = k == "ifdef" || k == "elifdef";
      if (line.size() < 2 || !line[1].is_ident()) {
        diag(loc, model::Severity::Warning, "#" + std::string(k) + " without a macro name");
        known = true;
      } else {
        std::string_view name = line[1].text;
        MacroState st = macros_.state(name);
        text = (want ? "defined(" : "!defined(") + std::string(name) + ")";
        if (st == MacroState::Defined || st == MacroState::Undefined) {
          known = true;
          value = ((st == MacroState::Defined) == want);
        } else if (!want && guard_try && !next_define.empty() && next_define == name) {
          known = true;
          value = 1;
        }
      }
    } else {
      std::span<const PToken> expr(line.data() + 1, line.size() - 1);
      text = render(line, 1);
      // `#if !defined(X)` followed by `#define X` is a guard too.
      if (expr.size() >= 3 && expr[0].is_punct("!") && expr[1].is("defined") && guard_try) {
        std::string_view name = expr[2].is_punct("(") && expr.size() >= 4 ? expr[3].text : expr[2].text;
        if (macros_.state(name) == MacroState::Unknown && !next_define.empty() && next_define == name) {
          known = true;
          value = 1;
        }
      }
      if (!known) {
        EvalResult r = eval_condition(expr);
        if (!r.error.empty()) diag(loc, model::Severity::Warning, r.error + "; both arms are analysed");
        known = r.known;
        value = r.value;
      }
    }
    if (known && value) {
      f.taking = true;
      f.arm_cond = join(f.negated, "");
      f.settled = true;
    } else if (known) {
      f.taking = false;
    } else {
      f.taking = true;
      f.arm_cond = join(f.negated, text);
      f.negated.push_back(negate(text));
    }
  };

  if (kind == "if" || kind == "ifdef" || kind == "ifndef") {
    CondFrame f;
    f.loc = loc;
    f.parent_active = active();
    if (f.parent_active && conds_.size() >= kMaxCondDepth) {
      // Deeper nesting is skipped: condition texts would grow with the square
      // of the depth (issue 10 item 7).
      if (!cond_depth_reported_)
        diag(loc, model::Severity::Error,
             "#if nested deeper than " + std::to_string(kMaxCondDepth) + " levels; the group is not analysed");
      cond_depth_reported_ = true;
      f.parent_active = false;
    }
    if (!f.parent_active) {
      f.settled = true;
    } else {
      evaluate_arm(kind, f);
    }
    conds_.push_back(std::move(f));
  } else if (kind == "endif") {
    conds_.pop_back();
  } else {
    CondFrame& f = conds_.back();
    if (f.seen_else) diag(loc, model::Severity::Warning, "#" + std::string(kind) + " after #else");
    if (!f.parent_active || f.settled) {
      f.taking = false;
      f.arm_cond.clear();
    } else if (kind == "else") {
      f.taking = true;
      f.arm_cond = join(f.negated, "");
      f.settled = true;
    } else {
      evaluate_arm(kind == "elif" ? "if" : kind == "elifdef" ? "ifdef" : "ifndef", f);
    }
    if (kind == "else") f.seen_else = true;
  }
  update_cond();
}

}  // namespace nxpool::pp
