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
#include "scan/finding.h"

namespace nxpool::fix {

enum class Strategy { Nx, Explicit };

struct FixOptions {
  std::set<std::string> rules;  // empty: every rule with a fix that runs by default
  Strategy strategy = Strategy::Nx;
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

struct FixPlan {
  std::map<std::string, FilePlan> files;   // by display path, only files with edits
  std::vector<Skipped> skipped;             // sites with a finding that were left alone, and why
  std::vector<Skipped> errors;              // files that could not be read
  std::map<std::string, std::size_t> fixed_sites;  // per rule
};

// Does `rule` have a fix (run by default, or only when asked for)?
bool has_fix(const std::string& rule);

FixPlan plan_fixes(const scan::ScanResult& scan, const FixOptions& options);

// The `git apply`-able diff of every planned file, in path order.
std::string plan_diff(const FixPlan& plan);

}  // namespace nxpool::fix
