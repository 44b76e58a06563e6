// Sites inside a macro's expansion (issue 12): the edit belongs in the
// macro's definition, which every use shares, so it is made there only when
// every use agrees. Two kinds are fixed:
//   - NX2001, a pool type macro (`#define DRV_POOL NonPagedPool`): the pool
//     type tokens of the body become their NX twins;
//   - NX3004, a driver's own allocation macro (`#define DrvAlloc(n)
//     ExAllocatePoolWithTag(NonPagedPool, n, TAG)`): NX3004's fix runs on
//     the call inside the body, with every use's finding (target version,
//     modes), and its edits must stay inside the definition.
// Either is made only when
//   - every finding the scan made inside the macro's expansions is of that
//     one rule, in no opted-out unit (one use where it is meant executable,
//     or where another rule reads it, leaves it alone);
//   - every use of the macro name in the files the scan read (the units,
//     their findings' files and the files next to them) is one of those
//     sites: a use that produced no finding (in an AUTO file, a comparison)
//     could mean something else after the edit;
//   - the macro has exactly one #define among those files.
// Otherwise every site stays alone and the note names the macro and why.
// Tested by tests/fix/fix_rules_test.cpp (FixSafety.SiteInsideAMacro*) and
// tests/fix/fix_nx3004_test.cpp (FixNx3004.AllocationMacro*).
#include <filesystem>
#include <set>
#include <tuple>

#include "fix/fix.h"
#include "fix/rules/fixers.h"
#include "fix/site_tokens.h"
#include "scan/scanner.h"

namespace nxpool::fix {
namespace {
namespace fs = std::filesystem;

struct Definition {
  std::string file;
  std::vector<Edit> edits;
  std::size_t count = 0;
  std::string reason;  // why there are no edits, when the rule's fix said so
};

// NX3004 inside a definition whose body is tokens [from, end): the one
// deprecated allocator call there, fixed as NX3004's fix would fix it at a
// use, given every use's finding. Edits reaching past the body (the
// removal of a zeroing statement after it) are left out: that statement is
// not the macro's. Returns why not, or "" with `edits` filled.
std::string nx3004_in_body(const FileTokens& ft, std::size_t from, std::size_t end,
                           const std::vector<const scan::Finding*>& findings, const FixOptions& opt,
                           const scan::ScanResult& scan, std::vector<Edit>& edits) {
  std::optional<std::size_t> call;
  for (std::size_t k = from; k < end; ++k) {
    std::string_view t = ft.spell(k);
    if (t.starts_with("ExAllocatePool") && ft.is(k + 1, "(")) {
      if (call) return "its definition calls more than one allocator; fix it by hand";
      call = k;
    }
  }
  if (!call) return "its definition does not name the allocator itself; fix it by hand";
  Site site{ft, *call, findings, opt, scan};
  FixResult r = fix_nx3004(site);
  if (r.edits.empty()) return "in its definition, " + r.reason;
  std::size_t lo = ft.toks[from].offset, hi = ft.toks[end - 1].offset + ft.toks[end - 1].length;
  for (const Edit& e : r.edits)
    if (e.offset >= lo && e.offset + e.length <= hi) edits.push_back(e);
  return "";
}

// Candidate files: every file the scan names, and the sources and headers next to them.
std::set<std::string> candidate_files(const scan::ScanResult& scan) {
  std::set<std::string> dirs, files;
  auto add = [&](const std::string& f) {
    if (f.empty() || f[0] == '<') return;
    files.insert(f);
    dirs.insert(fs::path(f).parent_path().string());
  };
  for (const scan::UnitRecord& u : scan.units) add(u.file);
  for (const scan::Finding& f : scan.findings) add(f.file);
  for (const std::string& d : dirs) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d.empty() ? "." : d, ec)) {
      std::string p = (d.empty() ? fs::path(e.path().filename()) : fs::path(d) / e.path().filename()).string();
      if (e.is_regular_file(ec) && (scan::is_source_extension(p) || scan::is_header_extension(p))) files.insert(p);
    }
  }
  return files;
}

}  // namespace

void plan_macro_sites(const scan::ScanResult& scan, const FixOptions& opt, const std::map<std::string, std::vector<Skipped>>& by_macro,
                      FixPlan& plan) {
  if (by_macro.empty()) return;
  std::set<std::string> files = candidate_files(scan);
  std::map<std::string, std::unique_ptr<SourceBytes>> texts;
  for (const auto& entry : by_macro) {
    const std::string& macro = entry.first;  // not a structured binding: Clang 14 lambdas cannot capture one
    const std::vector<Skipped>& sites = entry.second;
    auto refuse = [&](const std::string& why) {
      for (Skipped s : sites) {
        s.reason = "inside the expansion of macro '" + macro + "': " + why;
        plan.skipped.push_back(s);
      }
    };
    std::set<std::tuple<std::string, std::uint32_t, std::uint32_t>> uses;
    std::vector<const scan::Finding*> findings;
    const std::string rule = sites.front().rule;  // NX2001 or NX3004; a mix is refused below
    std::string bad;
    for (const scan::Finding& f : scan.findings) {
      if (f.macro != macro) continue;
      if (f.rule != rule) bad = f.rule + " reads it too";
      else if (f.mode == scan::NxMode::OptOut) bad = "an opted-out unit uses it as executable pool";
      uses.insert({f.file, f.line, f.column});
      findings.push_back(&f);
    }
    if (rule != "NX2001" && rule != "NX3004") bad = rule + " has no fix in a macro definition";
    if (!bad.empty()) { refuse(bad + "; fix its definition by hand"); continue; }
    if (!opt.rules.empty() && !opt.rules.count(rule)) { refuse("fix its definition by hand"); continue; }
    std::vector<Definition> defs;
    std::size_t named = 0;
    for (const std::string& file : files) {
      auto& src = texts[file];
      if (!src) src = std::make_unique<SourceBytes>(read_source_bytes(file));
      if (!src->error.empty() || src->text.find(macro) == std::string::npos) continue;
      FileTokens ft(src->text);
      for (std::size_t i = 0; i < ft.toks.size(); ++i) {
        if (ft.spell(i) != macro) continue;
        bool is_def = i >= 2 && ft.is(i - 1, "define") && ft.is(i - 2, "#") && ft.toks[i - 2].at_bol();
        if (!is_def) {
          ++named;
          continue;
        }
        Definition d{file, {}, 1, {}};
        std::size_t end = i + 1;
        while (end < ft.toks.size() && !ft.toks[end].at_bol()) ++end;
        if (rule == "NX2001") {
          for (std::size_t k = i + 1; k < end; ++k) {
            std::string_view t = ft.spell(k);
            if (t == "NonPagedPool" || t == "NonPagedPoolCacheAligned")
              d.edits.push_back(Edit{ft.toks[k].offset, ft.toks[k].length,
                                     t == "NonPagedPool" ? "NonPagedPoolNx" : "NonPagedPoolNxCacheAligned", "NX2001"});
          }
        } else {
          d.reason = nx3004_in_body(ft, i + 1, end, findings, opt, scan, d.edits);
        }
        defs.push_back(std::move(d));
      }
    }
    if (defs.size() != 1) {
      refuse(defs.empty() ? "its definition was not found next to its uses; fix it by hand"
                          : "it is defined more than once; fix its definitions by hand");
      continue;
    }
    if (defs[0].edits.empty()) {
      refuse(!defs[0].reason.empty() ? defs[0].reason
                                     : "its definition does not name the pool type itself; fix it by hand");
      continue;
    }
    if (named != uses.size()) {
      refuse("it is used " + std::to_string(named) + " times but only " + std::to_string(uses.size()) +
             " of those uses are executable pool sites; fix its definition by hand");
      continue;
    }
    if (add_file_edits(plan, defs[0].file, defs[0].edits, rule)) plan.fixed_sites[rule] += sites.size() - 1;
  }
}

}  // namespace nxpool::fix
