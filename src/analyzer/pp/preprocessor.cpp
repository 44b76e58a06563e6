// The file half of the preprocessor model: the unit's files, forced and
// precompiled headers, #include resolution and the include depth limit.
// The directive loop is in directives.cpp, conditionals in conditionals.cpp,
// the NX latch in latch.cpp, macro expansion in expand.cpp.
//
// Include guards would otherwise look unknown (the guard macro was never
// seen), so `#ifndef X` directly followed by `#define X` is treated as known
// true (conditionals.cpp), and a file whose guard is defined is not re-read.
//
// The latch. At the first #include of a kernel header the values of the
// three NX macros in force are recorded; that decides the unit's mode
// (scan/mode.h). On a target that is not x86/x64 the header then removes
// POOL_NX_OPTIN and forces POOL_NX_OPTIN_AUTO to 1, which later #if tests
// in the unit observe too.
// Tested by tests/analyzer/preprocessor_test.cpp and tests/analyzer/cases/.
#include <algorithm>
#include <filesystem>

#include "pp/kernel_headers.h"
#include "pp/preprocessor_impl.h"

namespace nxpool::pp {

Preprocessor::Preprocessor(const UnitInput& in, FileCache& cache, PreprocessedUnit& out)
    : in_(in), cache_(cache), out_(out), unit_expansion_left_(kMaxUnitExpansionTokens),
      includes_left_(kMaxIncludes), include_bytes_left_(kMaxIncludeBytes) {}

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
  // #include fan-out (each header including the next twice) is bounded per
  // unit, by inclusions and by bytes; the first refusal is reported.
  if (includes_left_ == 0 || include_bytes_left_ < cf->source.text.size()) {
    if (!include_budget_reported_)
      diag(site, model::Severity::Error,
           "#include budget of this unit (" + std::to_string(kMaxIncludes) + " inclusions, " +
               std::to_string(kMaxIncludeBytes >> 20) + " MiB) is spent; this and later #includes are skipped");
    include_budget_reported_ = true;
    return;
  }
  --includes_left_;
  include_bytes_left_ -= cf->source.text.size();
  bool fresh = file_ids_.find(path) == file_ids_.end();
  std::uint32_t id = add_file(path);
  if (fresh) out_.files_alive.push_back(cf);
  bool full = cf->anchors;
  if (full) out_.code.reserve(out_.code.size() + cf->source.text.size() / 5);
  for (std::size_t i = 0; !full && i < relevant_names_.size(); ++i)
    full = cf->source.text.find(relevant_names_[i]) != std::string::npos;
  dir_stack_.push_back(cf->dir);
  ++depth_;
  if (!full && !cf->late_relevant && skip_until_include.empty() && cache_.skeletons() &&
      ++cf->directive_only_uses >= kSkeletonAfterUses) {
    if (!cf->skeleton) {
      cf->skeleton = std::make_shared<const Skeleton>(build_skeleton(cf->source.text));
      cache_.add_held(*cf, skeleton_footprint(*cf->skeleton));
    }
    replay_skeleton(*cf->skeleton, id, cf.get());
  } else {
    process_text(cf->source.text, id, full, cf.get(), skip_until_include);
  }
  --depth_;
  dir_stack_.pop_back();
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
