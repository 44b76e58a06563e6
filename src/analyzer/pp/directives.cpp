// The directive loop of the preprocessor model: one pass over a file's
// tokens, dispatching #if/#define/#undef/#include/#pragma once, skipping
// text nothing needs, and recognising a file's include guard
// (`#ifndef X` / `#define X` ... `#endif` with nothing outside).
// Tested by tests/analyzer/preprocessor_test.cpp and tests/analyzer/cases/.
#include <algorithm>
#include <cctype>

#include "pp/preprocessor_impl.h"
#include "scan/vocabulary.h"

namespace nxpool::pp {


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
  GuardState gs;
  gs.base = conds_.size();
  std::size_t names_seen = relevant_names_.size();
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
      if (skipping) {
        if (line[0].text == "include" && includes_header(line, skip_until_include)) {
          skipping = false;
          do_include(line, file_id);
        }
        continue;
      }
      handle_directive(line, loc, cf, gs, &fl, nullptr, {});
      continue;
    }
    if (conds_.size() == gs.base) gs.code_before = true;
    // A macro that became relevant since this file's prefilter decision (a
    // header it included defines DrvAlloc(n) as an allocation) makes the
    // rest of the file worth reading when the file names it.
    if (!full && relevant_names_.size() > names_seen) {
      for (std::size_t i = names_seen; !full && i < relevant_names_.size(); ++i)
        full = text.find(relevant_names_[i], t.offset) != std::string_view::npos;
      names_seen = relevant_names_.size();
      if (full && cf) cf->late_relevant = true;
    }
    if (skipping || !active() || !full) {
      // Nothing on this line or up to the next directive is needed.
      fl.lx.skip_to_directive();
      fl.advance();
      continue;
    }
    emit_code(fl, full);
  }
  finish_file(fl.lx.diagnostics(), file_id, cf, gs);
}

// The same walk over a file analysed for directives only, from its skeleton
// (skeleton.cpp) instead of the lexer.
void Preprocessor::replay_skeleton(const Skeleton& sk, std::uint32_t file_id, CachedFile* cf) {
  GuardState gs;
  gs.base = conds_.size();
  std::vector<PToken> line;
  line.swap(line_);
  std::size_t names_seen = relevant_names_.size();
  for (std::size_t i = 0; i < sk.entries.size(); ++i) {
    const SkeletonEntry& e = sk.entries[i];
    if (e.code) {
      if (conds_.size() == gs.base) gs.code_before = true;
      // As in process_text: a macro that became relevant during this file
      // and is named in it means the code matters. The skeleton has none, so
      // later inclusions lex the file (cf->late_relevant). Only a file whose
      // first inclusions, lexed, did not reach that macro gets here.
      if (cf && relevant_names_.size() > names_seen) {
        for (std::size_t k = names_seen; !cf->late_relevant && k < relevant_names_.size(); ++k)
          cf->late_relevant = cf->source.text.find(relevant_names_[k]) != std::string::npos;
        names_seen = relevant_names_.size();
      }
      continue;
    }
    if (e.count == 0) continue;
    line.assign(sk.tokens.begin() + e.first, sk.tokens.begin() + e.first + e.count);
    for (PToken& p : line) {
      p.file = file_id;
      p.cond = cur_cond_;
    }
    std::string_view next_define;
    if (i + 1 < sk.entries.size() && !sk.entries[i + 1].code) next_define = sk.entries[i + 1].raw_define_name;
    handle_directive(line, Loc{file_id, e.hash_line, e.hash_column}, cf, gs, nullptr, &e, next_define);
  }
  line.swap(line_);
  finish_file(sk.diags, file_id, cf, gs);
}

void Preprocessor::handle_directive(const std::vector<PToken>& line, const Loc& loc, CachedFile* cf, GuardState& gs,
                                    const FileLexer* fl, const SkeletonEntry* entry, std::string_view next_define) {
  std::string_view name = line[0].text;
  std::uint32_t file_id = loc.file;
  bool act = active();
  if (gs.closed) gs.broken = true;
  if (name == "if" || name == "ifdef" || name == "ifndef") {
    bool guard_try = cf && gs.first_directive && !gs.code_before && conds_.size() == gs.base && name == "ifndef";
    std::size_t before = conds_.size();
    if (guard_try && fl) next_define = next_guard_define(*fl);
    do_if(name, line, guard_try ? next_define : std::string_view{}, guard_try);
    if (guard_try && line.size() >= 2 && conds_.size() == before + 1 && conds_.back().settled) {
      gs.candidate = std::string(line[1].text);
      gs.level = before + 1;
    } else if (conds_.size() == gs.base + 1) {
      gs.broken = true;
    }
  } else if (name == "elif" || name == "else" || name == "endif" || name == "elifdef" || name == "elifndef") {
    if (conds_.size() <= gs.base) {
      diag(loc, model::Severity::Warning, "#" + std::string(name) + " without #if");
    } else {
      if (conds_.size() == gs.level && !gs.candidate.empty() && name != "endif") gs.broken = true;
      if (conds_.size() == gs.level && !gs.candidate.empty() && name == "endif") gs.closed = true;
      do_if(name, line, {}, false);
    }
  } else if (act) {
    if (name == "define") {
      do_define(line, file_id, entry);
    } else if (name == "undef") {
      do_undef(line);
    } else if (name == "include" || name == "include_next") {
      do_include(line, file_id);
    } else if (name == "pragma" && line.size() >= 2 && line[1].text == "once" && cf) {
      once_.insert(cf->path);
    }
  }
  gs.first_directive = false;
}

void Preprocessor::finish_file(const std::vector<lex::LexDiagnostic>& lex_diags, std::uint32_t file_id,
                               CachedFile* cf, GuardState& gs) {
  for (const auto& d : lex_diags) diag(Loc{file_id, d.line, d.column}, model::Severity::Error, d.message);
  while (conds_.size() > gs.base) {
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

std::shared_ptr<const MacroDef> Preprocessor::make_definition(const std::vector<PToken>& line, std::uint32_t file_id) {
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
  return def;
}

void Preprocessor::do_define(const std::vector<PToken>& line, std::uint32_t file_id, const SkeletonEntry* entry) {
  Loc loc{file_id, line[0].line, line[0].column > 1 ? line[0].column - 1 : 1};
  if (line.size() < 2 || !line[1].is_ident()) {
    diag(loc, model::Severity::Warning, "#define without a macro name");
    return;
  }
  // Condition ids are the unit's own, file ids mean this file in every unit
  // that replays it: only an unconditional definition is shared.
  std::shared_ptr<const MacroDef> def;
  if (entry && cur_cond_ < 0 && entry->def && entry->def_file == file_id) {
    def = entry->def;
  } else {
    def = make_definition(line, file_id);
    if (entry && cur_cond_ < 0) {
      entry->def = def;
      entry->def_file = file_id;
    }
  }
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

}  // namespace nxpool::pp
