// The directive half of the preprocessor model: files, #include, the
// three-valued conditional stack and the NX latch (spec §1.1-1.2).
//
// Conditionals. Each #if level keeps the unknown conditions of the arms
// before the current one. An arm whose condition is known false is skipped;
// one known true is taken and settles the chain; an unknown arm is taken
// under the condition "its expression and none of the earlier unknown arms",
// and tokens inside carry that text so findings can say when they hold.
// Macros defined inside an unknown arm are marked uncertain, and #undef
// there makes a name unknown.
//
// Include guards would otherwise look unknown (the guard macro was never
// seen), so `#ifndef X` directly followed by `#define X` is treated as known
// true, and a file whose guard is defined is not re-read.
//
// The latch. At the first #include of a kernel header the values of the
// three NX macros in force are recorded; that decides the unit's mode
// (scan/mode.h). On a target that is not x86/x64 the header then removes
// POOL_NX_OPTIN and forces POOL_NX_OPTIN_AUTO to 1, which later #if tests
// in the unit observe too.
// Tested by tests/analyzer/preprocessor_test.cpp and tests/analyzer/cases/.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "pp/kernel_headers.h"
#include "pp/preprocessor_impl.h"
#include "scan/vocabulary.h"

namespace nxpool::pp {

Preprocessor::Preprocessor(const UnitInput& in, FileCache& cache, PreprocessedUnit& out)
    : in_(in), cache_(cache), out_(out) {}

void Preprocessor::diag(const Loc& loc, model::Severity sev, std::string msg) {
  out_.diags.push_back({loc, sev, std::move(msg)});
}

std::uint32_t Preprocessor::add_file(const std::string& path) {
  auto it = file_ids_.find(path);
  if (it != file_ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(out_.files.size());
  out_.files.push_back(path);
  file_ids_.emplace(path, id);
  return id;
}

std::int32_t Preprocessor::intern_cond(const std::string& s) {
  auto it = cond_ids_.find(s);
  if (it != cond_ids_.end()) return it->second;
  auto id = static_cast<std::int32_t>(out_.conds.size());
  out_.conds.push_back(s);
  cond_ids_.emplace(s, id);
  return id;
}

void Preprocessor::update_cond() {
  std::string all;
  for (const CondFrame& f : conds_) {
    if (f.arm_cond.empty()) continue;
    if (!all.empty()) all += " && ";
    all += f.arm_cond;
  }
  cur_cond_ = all.empty() ? -1 : intern_cond(all);
}

std::string Preprocessor::origin_of(std::uint32_t file, std::uint32_t line) const {
  if (file == 0) {
    if (line >= 1 && line <= in_.predefine_origins.size()) return in_.predefine_origins[line - 1];
    return "<command line>";
  }
  return display_path(out_.files[file]) + ":" + std::to_string(line);
}

PToken Preprocessor::make_token(const lex::Token& t, std::string_view buf, std::uint32_t file) {
  PToken p;
  std::string_view sp = lex::spelling_of(t, buf, scratch_);
  if (t.flags & lex::kHasSplice) sp = store(std::string(sp));
  p.text = sp;
  p.kind = t.kind;
  p.flags = t.flags;
  p.file = file;
  p.line = t.line;
  p.column = t.column;
  p.length = static_cast<std::uint16_t>(std::min<std::uint32_t>(t.length, 0xFFFF));
  p.cond = cur_cond_;
  return p;
}

void Preprocessor::run() {
  out_.files.push_back("<command line>");
  out_.predefines = std::make_unique<std::string>(in_.predefines);
  process_text(*out_.predefines, 0, false, nullptr);

  auto main = cache_.get(in_.main_file);
  if (main->source.status != lex::LoadStatus::Ok) {
    out_.main_readable = false;
    return;
  }
  std::string main_dir = std::filesystem::path(in_.main_file).parent_path().generic_string();
  for (const std::string& fi : in_.forced_includes) {
    std::optional<std::string> p = cache_.resolve(main_dir, fi);
    for (std::size_t i = 0; !p && i < in_.include_dirs.size(); ++i) p = cache_.resolve(in_.include_dirs[i], fi);
    if (pp::is_kernel_header(fi)) {
      if (!out_.latch.latched) latch_now(Loc{0, 0, 0}, fi, true);
    } else if (p) {
      include_file(*p, Loc{0, 0, 0});
    } else {
      diag(Loc{0, 0, 0}, model::Severity::Warning, "forced include '" + fi + "' not found");
    }
  }
  // With /Yu, text before the precompiled header's #include is skipped; when
  // the file never includes it (MSVC would stop with C1010) nothing is.
  std::string_view pch;
  if (!in_.precompiled_header.empty()) {
    std::string base = std::filesystem::path(in_.precompiled_header).filename().string();
    bool forced = false;
    for (const std::string& fi : in_.forced_includes)
      forced = forced || std::filesystem::path(fi).filename().string() == base;
    if (!forced && main->source.text.find(base) != std::string::npos) pch = store(base);
  }
  include_file(in_.main_file, Loc{0, 0, 0}, pch);
  // A unit that reached neither a kernel header nor a pool word still has
  // its build's definitions: read them at its end, unlatched (issue 9 item 5).
  if (!out_.latch.latched) {
    latch_now(Loc{0, 0, 0}, "", false);
    out_.latch.latched = false;
  }
}

void Preprocessor::include_file(const std::string& path, const Loc& site, std::string_view skip_until_include) {
  if (static_cast<std::size_t>(depth_) >= kMaxIncludeDepth) {
    diag(site, model::Severity::Error, "#include nested deeper than 200 levels (an include cycle without a guard?)");
    return;
  }
  auto cf = cache_.get(path);
  if (cf->source.status != lex::LoadStatus::Ok) {
    if (depth_ > 0)
      diag(site, cf->source.status == lex::LoadStatus::Binary ? model::Severity::Note : model::Severity::Error,
           "included file '" + display_path(path) + "': " + cf->source.message);
    return;
  }
  if (once_.count(path)) return;
  if (!cf->guard.empty() && macros_.state(cf->guard) == MacroState::Defined) return;
  bool fresh = file_ids_.find(path) == file_ids_.end();
  std::uint32_t id = add_file(path);
  if (fresh) out_.files_alive.push_back(cf);
  bool full = cf->anchors;
  if (full) out_.code.reserve(out_.code.size() + cf->source.text.size() / 5);
  for (std::size_t i = 0; !full && i < relevant_names_.size(); ++i)
    full = cf->source.text.find(relevant_names_[i]) != std::string::npos;
  dir_stack_.push_back(cf->dir);
  ++depth_;
  process_text(cf->source.text, id, full, cf.get(), skip_until_include);
  --depth_;
  dir_stack_.pop_back();
}

namespace {
struct GuardState {
  bool first_directive = true;
  bool code_before = false;
  std::string candidate;
  std::size_t level = 0;
  bool closed = false;       // the candidate's #endif was seen
  bool broken = false;       // something other than the guard #if at top level
};
}  // namespace

namespace {
// Does this #include line name `header` (compared by file name, ignoring case)?
bool includes_header(const std::vector<PToken>& line, std::string_view header) {
  std::string name;
  for (std::size_t i = 1; i < line.size(); ++i) name += line[i].text;
  auto slash = name.find_last_of("/\\");
  std::string_view file = slash == std::string::npos ? std::string_view(name) : std::string_view(name).substr(slash + 1);
  if (!file.empty() && (file.front() == '"' || file.front() == '<')) file.remove_prefix(1);
  if (!file.empty() && (file.back() == '"' || file.back() == '>')) file.remove_suffix(1);
  if (file.size() != header.size()) return false;
  for (std::size_t i = 0; i < file.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(file[i])) != std::tolower(static_cast<unsigned char>(header[i])))
      return false;
  return true;
}
}  // namespace

void Preprocessor::process_text(std::string_view text, std::uint32_t file_id, bool full, CachedFile* cf,
                                std::string_view skip_until_include) {
  FileLexer fl(text, file_id);
  bool skipping = !skip_until_include.empty();
  const std::size_t base = conds_.size();
  GuardState gs;
  while (fl.cur.kind != lex::TokenKind::Eof) {
    const lex::Token& t = fl.cur;
    if (t.at_bol() && t.kind == lex::TokenKind::Punct && t.length == 1 && text[t.offset] == '#') {
      Loc loc{file_id, t.line, t.column};
      fl.advance();
      std::vector<PToken> line;
      line.swap(line_);  // reuse the capacity of the previous directive
      line.clear();
      read_line(fl, line);
      struct GiveBack {
        std::vector<PToken>& from;
        std::vector<PToken>& to;
        ~GiveBack() { to.swap(from); }
      } give_back{line, line_};
      if (line.empty()) continue;
      std::string_view name = line[0].text;
      if (skipping) {
        if (name == "include" && includes_header(line, skip_until_include)) {
          skipping = false;
          do_include(line, file_id);
        }
        continue;
      }
      bool act = active();
      if (gs.closed) gs.broken = true;
      if (name == "if" || name == "ifdef" || name == "ifndef") {
        bool guard_try = cf && gs.first_directive && !gs.code_before && conds_.size() == base && name == "ifndef";
        std::size_t before = conds_.size();
        do_if(name, line, fl, cf, guard_try);
        if (guard_try && line.size() >= 2 && conds_.size() == before + 1 && conds_.back().settled) {
          gs.candidate = std::string(line[1].text);
          gs.level = before + 1;
        } else if (conds_.size() == base + 1) {
          gs.broken = true;
        }
      } else if (name == "elif" || name == "else" || name == "endif" || name == "elifdef" || name == "elifndef") {
        if (conds_.size() <= base) {
          diag(loc, model::Severity::Warning, "#" + std::string(name) + " without #if");
        } else {
          if (conds_.size() == gs.level && !gs.candidate.empty() && name != "endif") gs.broken = true;
          if (conds_.size() == gs.level && !gs.candidate.empty() && name == "endif") gs.closed = true;
          do_if(name, line, fl, cf, false);
        }
      } else if (act) {
        if (name == "define") {
          do_define(line, file_id);
        } else if (name == "undef") {
          do_undef(line);
        } else if (name == "include" || name == "include_next") {
          do_include(line, file_id);
        } else if (name == "pragma" && line.size() >= 2 && line[1].text == "once" && cf) {
          once_.insert(cf->path);
        }
      }
      gs.first_directive = false;
      continue;
    }
    if (conds_.size() == base) gs.code_before = true;
    if (skipping || !active() || !full) {
      // Nothing on this line or up to the next directive is needed.
      fl.lx.skip_to_directive();
      fl.advance();
      continue;
    }
    emit_code(fl, full);
  }
  for (const auto& d : fl.lx.diagnostics())
    diag(Loc{file_id, d.line, d.column}, model::Severity::Error, d.message);
  while (conds_.size() > base) {
    diag(conds_.back().loc, model::Severity::Warning, "unterminated #if");
    conds_.pop_back();
    gs.broken = true;
  }
  update_cond();
  if (cf && !cf->guard_known) {
    cf->guard_known = true;
    if (!gs.candidate.empty() && gs.closed && !gs.broken) cf->guard = gs.candidate;
  }
}

void Preprocessor::read_line(FileLexer& fl, std::vector<PToken>& line) {
  std::string_view buf = fl.lx.text();
  while (fl.cur.kind != lex::TokenKind::Eof && !fl.cur.at_bol()) {
    line.push_back(make_token(fl.cur, buf, fl.file));
    fl.advance();
  }
}

bool Preprocessor::peek_guard_define(const FileLexer& fl, std::string_view name) const {
  lex::Lexer copy = fl.lx;
  lex::Token t = fl.cur;
  std::string_view buf = fl.lx.text();
  if (t.kind != lex::TokenKind::Punct || !t.at_bol() || buf.substr(t.offset, t.length) != "#") return false;
  t = copy.next();
  if (buf.substr(t.offset, t.length) != "define" || t.at_bol()) return false;
  t = copy.next();
  return buf.substr(t.offset, t.length) == name && !t.at_bol();
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

void Preprocessor::do_if(std::string_view kind, const std::vector<PToken>& line, FileLexer& fl, CachedFile*,
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
        } else if (!want && guard_try && peek_guard_define(fl, name)) {
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
        if (macros_.state(name) == MacroState::Unknown && peek_guard_define(fl, name)) {
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

void Preprocessor::do_define(const std::vector<PToken>& line, std::uint32_t file_id) {
  Loc loc{file_id, line[0].line, line[0].column > 1 ? line[0].column - 1 : 1};
  if (line.size() < 2 || !line[1].is_ident()) {
    diag(loc, model::Severity::Warning, "#define without a macro name");
    return;
  }
  auto def = std::make_shared<MacroDef>();
  def->name = line[1].text;
  def->file = file_id;
  def->line = line[1].line;
  def->column = line[1].column;
  def->uncertain = cur_cond_ >= 0;
  def->cond = cur_cond_;
  std::size_t i = 2;
  if (i < line.size() && line[i].is_punct("(") && !(line[i].flags & lex::kSpaceBefore)) {
    def->function_like = true;
    ++i;
    while (i < line.size() && !line[i].is_punct(")")) {
      if (line[i].is_punct("...")) {
        def->variadic = true;
        def->params.push_back("__VA_ARGS__");
      } else if (line[i].is_ident()) {
        if (i + 1 < line.size() && line[i + 1].is_punct("...")) {
          def->variadic = true;  // GNU named variadic: `args...`
          ++i;
        }
        def->params.push_back(line[i].text);
      }
      ++i;
    }
    if (i < line.size()) ++i;  // ')'
  }
  def->body.assign(line.begin() + static_cast<std::ptrdiff_t>(std::min(i, line.size())), line.end());
  std::string_view n = def->name;
  if (n == scan::kOptIn || n == scan::kOptInAuto || n == scan::kOptOut) record_nx_define(line, false, loc);
  macros_.define(def);
  if (relevant(*def) && relevant_name_set_.insert(std::string(def->name)).second)
    relevant_names_.push_back(std::string(def->name));
}

void Preprocessor::do_undef(const std::vector<PToken>& line) {
  if (line.size() < 2 || !line[1].is_ident()) return;
  Loc loc{line[0].file, line[0].line, line[0].column > 1 ? line[0].column - 1 : 1};
  std::string_view n = line[1].text;
  if (n == scan::kOptIn || n == scan::kOptInAuto || n == scan::kOptOut) record_nx_define(line, true, loc);
  if ((n == "NonPagedPool" || n == "NonPagedPoolCacheAligned") && out_.latch.latched && out_.latch.by_header)
    out_.pool_undefs.emplace_back(std::string(n), out_.code.size());
  macros_.set_state(n, cur_cond_ >= 0 ? MacroState::Unknown : MacroState::Undefined);
}

void Preprocessor::do_include(const std::vector<PToken>& line, std::uint32_t file_id) {
  Loc site{file_id, line[0].line, line[0].column > 1 ? line[0].column - 1 : 1};
  std::vector<PToken> rest(line.begin() + 1, line.end());
  if (!rest.empty() && rest[0].is_ident()) {
    std::vector<std::string_view> hide;
    rest = expand_list(rest, hide, true, 0);
  }
  if (rest.empty()) {
    diag(site, model::Severity::Warning, "#include without a file name");
    return;
  }
  std::string name;
  bool angled = false;
  if (rest[0].kind == lex::TokenKind::StringLiteral && rest[0].text.size() >= 2 && rest[0].text.front() == '"') {
    name = std::string(rest[0].text.substr(1, rest[0].text.size() - 2));
  } else if (rest[0].is_punct("<")) {
    angled = true;
    for (std::size_t i = 1; i < rest.size() && !rest[i].is_punct(">"); ++i) {
      if (i > 1 && (rest[i].flags & lex::kSpaceBefore)) name += ' ';
      name += rest[i].text;
    }
  } else {
    return;  // a computed include the scan cannot resolve
  }
  if (is_kernel_header(name)) {
    if (!out_.latch.latched) latch_now(Loc{file_id, rest[0].line, rest[0].column}, name, true);
    return;
  }
  std::optional<std::string> path;
  if (!angled) {
    for (auto it = dir_stack_.rbegin(); !path && it != dir_stack_.rend(); ++it) path = cache_.resolve(*it, name);
  }
  for (std::size_t i = 0; !path && i < in_.include_dirs.size(); ++i) path = cache_.resolve(in_.include_dirs[i], name);
  if (path) include_file(*path, site);
}

PreprocessedUnit preprocess(const UnitInput& input, FileCache& cache) {
  PreprocessedUnit out;
  Preprocessor(input, cache, out).run();
  return out;
}

}  // namespace nxpool::pp
