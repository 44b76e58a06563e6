// What every rule sees for one translation unit: the preprocessed code, its
// structure, the mode decision and a way to report. Rules are plain
// functions (rules.h), one per file, so adding one touches no other rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pp/preprocessor.h"
#include "scan/code_structure.h"
#include "scan/finding.h"
#include "scan/mode.h"

namespace nxpool::rules {

struct UnitFacts {
  scan::ModeDecision mode;
  std::string config;
  std::string image;
  std::string main_file;  // display path of the unit's source
  bool cplusplus = false;
  bool hvci = false;
  // The Windows version the configuration targets (an NTDDI_VERSION value,
  // 0 = unknown): unit_target() below.
  std::uint32_t ntddi = 0;
  // Rules that are off by default and were turned on for this scan.
  std::vector<std::string> enabled_rules;
  bool enabled(std::string_view rule) const {
    for (const std::string& r : enabled_rules)
      if (r == rule) return true;
    return false;
  }
};

// The unit's target: a -D NTDDI_VERSION=<number or NTDDI_* name> in its
// definitions (the last one wins; -U clears it), else the build's target.
std::uint32_t unit_target(const model::CompileUnit& u);

struct UnitOutcome {
  std::vector<scan::Finding> findings;
  // Findings that hold only when no OPTIN file of the image initialises the
  // runtime (NX2001/NX2004/NX2005 in OPTIN files); resolved per image.
  std::vector<scan::Finding> pending;
  bool optin = false;
  bool valid_init = false;         // ExInitializeDriverRuntime(DrvRtPoolNxOptIn) in this OPTIN file
  std::optional<scan::Finding> nx1101_anchor;  // where NX1101 goes if this image needs it
};

class RuleContext {
 public:
  RuleContext(const pp::PreprocessedUnit& u, const UnitFacts& f, const scan::CodeStructure& cs, UnitOutcome& out);

  const pp::PreprocessedUnit& unit;
  const UnitFacts& facts;
  const scan::CodeStructure& cs;
  UnitOutcome& out;

  scan::NxMode mode() const { return facts.mode.mode; }
  const pp::PToken& tok(std::uint32_t i) const { return unit.code[i]; }

  // A finding at a code token (its macro and condition are filled in).
  scan::Finding at_token(std::string_view rule, std::uint32_t idx, std::string message) const;
  // A finding at a directive location (file 0 = the command line: reported
  // at line 1 of the unit's source).
  scan::Finding at_loc(std::string_view rule, const pp::Loc& loc, std::int32_t cond, std::string message) const;
  void report(scan::Finding f) { out.findings.push_back(std::move(f)); }
  void pend(scan::Finding f) { out.pending.push_back(std::move(f)); }

  // The innermost API call whose arguments contain token `idx`, and the
  // argument index; nullopt when there is none.
  struct ArgPos {
    const scan::Call* call;
    std::size_t arg;
  };
  std::optional<ArgPos> enclosing_call(std::uint32_t idx) const;

  // Does the token range contain the word `w` (after expansion)?
  bool range_has(std::pair<std::uint32_t, std::uint32_t> r, scan::Word w) const;
  // Integer value of a token range made only of literals, | and parentheses;
  // nullopt when it has identifiers or anything else.
  std::optional<std::int64_t> range_value(std::pair<std::uint32_t, std::uint32_t> r) const;
  // Does the range consist only of literals, operators and the given words
  // (i.e. no variable whose value the scan cannot know)?
  bool range_only(std::pair<std::uint32_t, std::uint32_t> r, std::initializer_list<scan::Word> allowed) const;

  // "no NX opt-in is in effect in this file", etc.
  std::string mode_phrase() const;
};

}  // namespace nxpool::rules
