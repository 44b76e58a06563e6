// --strategy explicit, second half: once every executable request in an
// opted-out file is spelled out (NonPagedPool -> NonPagedPoolExecute), its
// `#define POOL_NX_OPTOUT 1` no longer changes anything the file asks for,
// so it goes and the file joins the project's opt-in (AUTO/OPTIN) like the
// others. It goes only when that is true in every configuration:
//   - every unit of the file is opted out, by a define in the file itself
//     (one unconditional `#define POOL_NX_OPTOUT` line; an opt-out from the
//     build or a header is named in a note instead);
//   - every finding whose meaning depends on the mode (NX2001, NX2004,
//     NX2005) in those units, headers included, was fixed in this plan,
//     and at least one was: a remaining NonPagedPool, MDL mapping or
//     NPaged lookaside list would silently become NX.
// The define's whole line goes, with the `//` comment lines right above it
// when they speak of the opt-out (mention POOL_NX_OPTOUT, opt-out or
// executable) and no blank line separates them. --keep-optout keeps it.
// Tested by tests/fix/fix_rules_test.cpp (FixRules.Nx2001Explicit*).
#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "fix/fix.h"
#include "fix/site_tokens.h"

namespace nxpool::fix {
namespace {

using Key = std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>;

bool mode_dependent(const std::string& rule) { return rule == "NX2001" || rule == "NX2004" || rule == "NX2005"; }

// [begin, end) of line `line` (1-based) in `t`, end past its line ending.
std::pair<std::size_t, std::size_t> line_span(const std::string& t, std::uint32_t line) {
  std::size_t b = 0;
  for (std::uint32_t l = 1; l < line && b < t.size(); ++l) {
    b = t.find_first_of("\r\n", b);
    if (b == std::string::npos) return {t.size(), t.size()};
    b += t.compare(b, 2, "\r\n") == 0 ? 2 : 1;
  }
  std::size_t e = t.find_first_of("\r\n", b);
  if (e == std::string::npos) return {b, t.size()};
  return {b, e + (t.compare(e, 2, "\r\n") == 0 ? 2 : 1)};
}

bool about_optout(std::string line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line.compare(i, 2, "//") != 0) return false;
  for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return line.find("pool_nx_optout") != std::string::npos || line.find("opt-out") != std::string::npos ||
         line.find("opt out") != std::string::npos || line.find("opted out") != std::string::npos ||
         line.find("executable") != std::string::npos;
}

// The edit removing the file's one unconditional `#define POOL_NX_OPTOUT`
// line (and its comment), or why not.
std::optional<Edit> optout_line(const std::string& text, std::string& why) {
  FileTokens ft(text);
  int depth = 0;
  std::optional<std::uint32_t> line;
  for (std::size_t i = 0; i + 2 < ft.toks.size(); ++i) {
    if (!ft.toks[i].at_bol() || !ft.is(i, "#")) continue;
    std::string_view d = ft.spell(i + 1);
    if (d == "if" || d == "ifdef" || d == "ifndef") ++depth;
    else if (d == "endif") --depth;
    if (d != "define" || !ft.is(i + 2, "POOL_NX_OPTOUT")) continue;
    if (depth != 0 || line) {
      why = depth != 0 ? "its #define POOL_NX_OPTOUT is inside #if" : "it defines POOL_NX_OPTOUT more than once";
      return std::nullopt;
    }
    if (i + 3 < ft.toks.size() && !ft.toks[i + 3].at_bol() && ft.toks[i + 3].line != ft.toks[i].line) {
      why = "its #define POOL_NX_OPTOUT continues on the next line";
      return std::nullopt;
    }
    line = ft.toks[i].line;
  }
  if (!line) {
    why = "it is opted out by its build or a header, not by a #define in the file";
    return std::nullopt;
  }
  auto [b, e] = line_span(text, *line);
  for (std::uint32_t l = *line - 1; l >= 1; --l) {
    auto [pb, pe] = line_span(text, l);
    if (!about_optout(text.substr(pb, pe - pb))) break;
    b = pb;
  }
  return Edit{b, e - b, "", "explicit"};
}

}  // namespace

void plan_drop_optout(const scan::ScanResult& scan, FixPlan& plan) {
  std::set<Key> fixed;
  for (const SiteEdits& s : plan.sites) fixed.insert({s.site.file, s.site.line, s.site.column, s.site.rule});
  std::map<std::string, bool> all_out;  // unit file -> every record opted out
  for (const scan::UnitRecord& u : scan.units) {
    auto [it, fresh] = all_out.emplace(u.file, true);
    it->second = it->second && u.mode == scan::NxMode::OptOut;
  }
  for (const auto& [file, out] : all_out) {
    if (!out) continue;
    std::size_t made = 0;
    bool pending = false;
    for (const scan::Finding& f : scan.findings) {
      if (f.unit != file || !mode_dependent(f.rule)) continue;
      if (fixed.count({f.file, f.line, f.column, f.rule})) ++made;
      else pending = true;
    }
    if (made == 0 || pending) continue;
    std::string why;
    auto text = plan.files.count(file) ? plan.files.at(file).source.text : read_source_bytes(file).text;
    auto e = optout_line(text, why);
    if (e) add_file_edits(plan, file, {*e}, "explicit");
    else plan.skipped.push_back(Skipped{file, 1, 1, "explicit", "the opt-out stays: " + why});
  }
}

}  // namespace nxpool::fix
