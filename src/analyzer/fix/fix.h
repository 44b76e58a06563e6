// `nxpool fix`: turn scan findings into edits, check that each edit is
// right everywhere the site is compiled, and write the files atomically.
//
// The fixer never re-derives what the scanner knows: a site is a
// (file, line, column, rule) the scan reported, possibly once per unit and
// configuration. Each rule's fix (fix/rules/, one file per rule) looks at
// the tokens at that site and proposes edits; the planner applies a site's
// edits only when every finding at it agrees (same rule, no unknown #if
// condition, not inside a macro expansion, not in an opted-out unit for the
// to-NX fixes) and says why otherwise.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fix/edit.h"
#include "fix/source_bytes.h"
#include "report/report.h"
#include "scan/finding.h"

namespace nxpool::fix {

enum class Strategy { Nx, Explicit };

struct FixOptions {
  std::set<std::string> rules;  // empty: every rule with a fix that runs by default
  Strategy strategy = Strategy::Nx;
  // Explicit strategy: keep a file's `#define POOL_NX_OPTOUT 1` even when
  // every executable request in it is now spelled out (--keep-optout).
  bool keep_optout = false;
};

struct Skipped {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string rule;
  std::string reason;
};

struct FilePlan {
  SourceBytes source;
  std::vector<Edit> edits;  // sorted, disjoint
  std::string new_text;
  std::string new_bytes;
};

// One fixed site and its own edits (offsets in its file's text).
struct SiteEdits {
  Skipped site;  // file, line, column, rule (reason unused)
  std::vector<Edit> edits;
};

struct FixPlan {
  std::map<std::string, FilePlan> files;   // by display path, only files with edits
  std::vector<Skipped> skipped;             // sites with a finding that were left alone, and why
  std::vector<Skipped> errors;              // files that could not be read
  std::map<std::string, std::size_t> fixed_sites;  // per rule
  std::vector<SiteEdits> sites;             // every fixed site, for SARIF `fixes`
};

// Adds `edits` (labelled `label` in the summary) to `file`'s plan, merging
// them with its other edits; false, with a note, when they overlap those.
bool add_file_edits(FixPlan& plan, const std::string& file, const std::vector<Edit>& edits, const std::string& label);

// --strategy explicit: in each opted-out file whose every executable
// request this plan spelled out, drop the `#define POOL_NX_OPTOUT 1`
// (drop_optout.cpp).
void plan_drop_optout(const scan::ScanResult& scan, FixPlan& plan);

// The sites inside macro expansions, by macro: fixed in the macro's
// definition when every use agrees, else skipped with the reason
// (macro_sites.cpp).
void plan_macro_sites(const scan::ScanResult& scan, const FixOptions& opt,
                      const std::map<std::string, std::vector<Skipped>>& by_macro, FixPlan& plan);

// Does `rule` have a fix (run by default, or only when asked for)?
bool has_fix(const std::string& rule);

FixPlan plan_fixes(const scan::ScanResult& scan, const FixOptions& options);

// The `git apply`-able diff of every planned file, in path order.
std::string plan_diff(const FixPlan& plan);

// The plan's sites as line/column replacements, for SARIF `fixes`
// (site_fixes.cpp).
std::vector<report::SiteFix> site_fixes(const FixPlan& plan);

}  // namespace nxpool::fix
