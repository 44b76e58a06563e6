// The planner: findings -> sites -> per-rule fixes -> checked edits per file.
//
// A site is (file, line, column, rule). The scan reports it once per unit
// and configuration that reaches it, each with that unit's mode, so "right
// in every unit" is checked on the findings themselves: a fix sees them all
// and refuses when they disagree (an opted-out unit among them). Findings
// inside a macro expansion are refused
// here, before any fix runs: the edit would land in text that means
// something else at another use; a directive fix (a mode change) under an
// unknown #if condition is refused too.
// Tested by tests/fix/fix_rules_test.cpp and tests/fix/fix_cli_test.cpp.
#include "fix/fix.h"

#include <algorithm>
#include <memory>
#include <tuple>

#include "fix/rules/fixers.h"

namespace nxpool::fix {
namespace {

using Fixer = FixResult (*)(const Site&);

struct FixEntry {
  const char* rule;
  Fixer fn;
  bool by_default;  // false: only with --rule
  bool directive;   // the finding points at a directive line, not a token
};

constexpr FixEntry kFixes[] = {
    {"NX1001", fix_nx1001, true, true},
    {"NX1002", fix_nx1002, true, true},
    {"NX1005", fix_nx1005, true, true},
    {"NX2001", fix_nx2001, true, false},
    {"NX2003", fix_nx2003, true, false},
    {"NX2004", fix_nx2004, true, false},
    {"NX2005", fix_nx2005, true, false},
    {"NX3001", fix_nx3001, true, false},
    // Off by default in the scan too: present only when --rule or a config file turned it on.
    {"NX3004", fix_nx3004, true, false},
};

const FixEntry* entry(const std::string& rule) {
  for (const FixEntry& e : kFixes)
    if (rule == e.rule) return &e;
  return nullptr;
}

// Does every edit of `ed` fall inside text that an edit of `accepted`
// replaces?
bool inside_accepted(const std::vector<Edit>& accepted, const std::vector<Edit>& ed) {
  return std::all_of(ed.begin(), ed.end(), [&](const Edit& e) {
    return std::any_of(accepted.begin(), accepted.end(), [&](const Edit& a) {
      return a.length > 0 && a.offset <= e.offset && e.offset + e.length <= a.offset + a.length;
    });
  });
}

struct Loaded {
  SourceBytes src;
  std::unique_ptr<FileTokens> ft;
};

}  // namespace

bool has_fix(const std::string& rule) { return entry(rule) != nullptr; }

bool add_file_edits(FixPlan& plan, const std::string& file, const std::vector<Edit>& edits, const std::string& label) {
  auto it = plan.files.find(file);
  FilePlan fp;
  if (it != plan.files.end()) {
    fp = it->second;
  } else {
    fp.source = read_source_bytes(file);
    if (!fp.source.error.empty()) {
      plan.errors.push_back(Skipped{file, 0, 0, "", fp.source.error});
      return false;
    }
  }
  std::vector<Edit> all = fp.edits;
  all.insert(all.end(), edits.begin(), edits.end());
  if (!normalize_edits(all)) {
    plan.skipped.push_back(Skipped{file, 1, 1, label, "its edit overlaps another fix's edit; run fix again"});
    return false;
  }
  fp.edits = std::move(all);
  fp.new_text = apply_edits(fp.source.text, fp.edits);
  fp.new_bytes = encode(fp.source, fp.new_text);
  plan.files[file] = std::move(fp);
  ++plan.fixed_sites[label];
  return true;
}

FixPlan plan_fixes(const scan::ScanResult& scan, const FixOptions& opt) {
  FixPlan plan;
  // Group the findings into sites, in report order.
  std::map<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>, std::vector<const scan::Finding*>> sites;
  for (const scan::Finding& f : scan.findings) {
    const FixEntry* e = entry(f.rule);
    if (!e || (opt.rules.empty() ? !e->by_default : !opt.rules.count(f.rule))) continue;
    sites[{f.file, f.line, f.column, f.rule}].push_back(&f);
  }
  std::map<std::string, Loaded> files;
  std::map<std::string, std::vector<Edit>> edits;
  std::map<std::string, std::vector<std::pair<std::vector<Edit>, Skipped>>> per_site;
  // Mode fixes (directives) first: a unit whose mode one of them changes
  // would make the token fixes of its sites wrong, so those wait for the
  // next run, as do header sites while any mode changes (a collapsed
  // finding need not name every unit that reaches the header).
  std::set<std::string> mode_changed;
  std::map<std::string, std::vector<Skipped>> macro_sites;
  bool token_pass = false;
  auto process = [&](const auto& key, const std::vector<const scan::Finding*>& findings) {
    const auto& [file, line, column, rule] = key;
    Skipped where{file, line, column, rule, ""};
    auto skip = [&](std::string why) {
      where.reason = std::move(why);
      plan.skipped.push_back(where);
    };
    if (findings.front()->line == 0) return skip("not at a place in a source file");
    std::string cond, macro;
    for (const auto* f : findings) {
      if (!f->condition.empty()) cond = f->condition;
      if (!f->macro.empty()) macro = f->macro;
    }
    const FixEntry* e = entry(rule);
    // A token fix is right in every configuration where its arm is compiled
    // and inert where it is not; a directive fix changes a mode, so it is
    // only made when the directive is unconditional.
    if (!cond.empty() && e->directive) return skip("depends on an unknown condition (" + cond + "); not edited");
    if (token_pass) {
      bool header = true;
      for (const auto* f : findings) {
        if (mode_changed.count(f->unit))
          return skip("a mode fix in this run changes the mode of " + f->unit + "; run fix again");
        header = header && f->unit != file;
      }
      if (header && !mode_changed.empty())
        return skip("a mode fix in this run may change the mode of a file that includes this one; run fix again");
    }
    if (!macro.empty()) {  // decided per macro, once every site is known (macro_sites.cpp)
      if (e->directive) return skip("inside the expansion of macro '" + macro + "': fix its definition by hand");
      macro_sites[macro].push_back(where);
      return;
    }
    auto it = files.find(file);
    if (it == files.end()) {
      it = files.emplace(file, Loaded{read_source_bytes(file), nullptr}).first;
      // FileTokens refers to the text, so it is made from the copy in the map.
      if (it->second.src.error.empty()) it->second.ft = std::make_unique<FileTokens>(it->second.src.text);
      else plan.errors.push_back(Skipped{file, 0, 0, "", it->second.src.error});
    }
    if (!it->second.ft) return;
    const FileTokens& ft = *it->second.ft;
    std::optional<std::size_t> tok;
    if (e->directive) {
      for (std::size_t i = 0; i < ft.toks.size() && !tok; ++i)
        if (ft.toks[i].line == line) tok = i;
    } else {
      tok = ft.at(line, column);
    }
    if (!tok) return skip("the file no longer has a token at this place (changed since the scan?)");
    Site site{ft, *tok, findings, opt, scan};
    FixResult r = e->fn(site);
    if (r.edits.empty()) return skip(r.reason);
    if (e->directive)
      for (const auto* f : findings) mode_changed.insert(f->unit);
    per_site[file].emplace_back(std::move(r.edits), where);
  };
  for (const auto& [key, findings] : sites)
    if (entry(std::get<3>(key))->directive) process(key, findings);
  token_pass = true;
  for (const auto& [key, findings] : sites)
    if (!entry(std::get<3>(key))->directive) process(key, findings);
  // Per file: drop the sites whose edits overlap another site's.
  for (auto& [file, list] : per_site) {
    std::vector<Edit> all;
    for (auto& [ed, where] : list) all.insert(all.end(), ed.begin(), ed.end());
    if (!normalize_edits(all)) {
      all.clear();
      for (auto& [ed, where] : list) {
        std::vector<Edit> trial = all;
        trial.insert(trial.end(), ed.begin(), ed.end());
        if (normalize_edits(trial)) {
          all = std::move(trial);
          ++plan.fixed_sites[where.rule];
          plan.sites.push_back(SiteEdits{where, ed});
        } else if (inside_accepted(all, ed)) {
          // Rewritten whole by another fix's edit that did this one's work
          // too (NX3004 writing NX flags where NX2001 would have made the
          // argument NonPagedPoolNx): done, with nothing of its own to add.
          ++plan.fixed_sites[where.rule];
        } else {
          where.reason = "its edit overlaps another fix's edit in the same place; run fix again";
          plan.skipped.push_back(where);
        }
      }
    } else {
      for (auto& [ed, where] : list) {
        ++plan.fixed_sites[where.rule];
        plan.sites.push_back(SiteEdits{where, ed});
      }
    }
    FilePlan fp;
    fp.source = std::move(files[file].src);
    fp.edits = std::move(all);
    fp.new_text = apply_edits(fp.source.text, fp.edits);
    fp.new_bytes = encode(fp.source, fp.new_text);
    if (fp.new_bytes != fp.source.bytes) plan.files.emplace(file, std::move(fp));
  }
  plan_macro_sites(scan, opt, macro_sites, plan);
  if (opt.strategy == Strategy::Explicit && !opt.keep_optout) plan_drop_optout(scan, plan);
  return plan;
}

std::string plan_diff(const FixPlan& plan) {
  std::string out;
  for (const auto& [file, fp] : plan.files) {
    bool utf16 = fp.source.encoding == Encoding::Utf16Le || fp.source.encoding == Encoding::Utf16Be;
    if (utf16) out += binary_diff(file, fp.source.bytes, fp.new_bytes);
    else out += unified_diff(file, fp.source.bytes, fp.new_bytes, fp.edits, fp.source.encoding == Encoding::Utf8Bom ? 3 : 0);
  }
  return out;
}

}  // namespace nxpool::fix
