// Fix for NX3004 (docs/rules/NX3004.md "Fix"): a deprecated POOL_TYPE
// allocator becomes its successor, keeping what the call did.
//
// Which successor depends on the Windows the configuration targets, carried
// by every finding: ExAllocatePool2/3 exist from Windows 10 2004
// (NTDDI_WIN10_VB); for older targets the call becomes the matching
// ...Uninitialized wrapper, which is the same call under a name that is not
// deprecated. An unknown target, or configurations that disagree, leave the
// call alone: the right edit differs.
//
// For 2004+: the POOL_TYPE argument is read as names joined by `|` (an
// optional `(POOL_TYPE)` cast and parentheses allowed) and rewritten as
// POOL_FLAGS. NonPagedPool becomes POOL_FLAG_NON_PAGED only where it means
// NX pool after this run (every unit AUTO or OPTIN, or NX2001's fix of the
// same token runs in this pass); anywhere else it is executable, and the
// rewrite would either change that silently or spell an executable
// request, so it waits (--rule NX3004 alone, or an opted-out file).
// The quota form raised on failure, so it gets POOL_FLAG_USE_QUOTA |
// POOL_FLAG_RAISE_ON_FAILURE (unless POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
// POOL_RAISE_IF_ALLOCATION_FAILURE becomes POOL_FLAG_RAISE_ON_FAILURE. The
// priority form becomes ExAllocatePool3 with a priority parameter written
// as a C compound literal (C sources only). ExAllocatePool2 zeroes the
// block where the old call did not: the only difference, and a zeroing of
// the same block right after the call is removed (fix_nx3004_zeroing.cpp).
// ExAllocatePool and ExAllocatePoolWithQuota have no tag, and
// ExAllocatePool2 fails with tag 0: inventing one would put a made-up name
// into the team's pool-tag lists, so they are left alone with a note.
// Tested by tests/fix/fix_nx3004_test.cpp and tests/fix/run_compile.sh.
#include <set>

#include "fix/rules/fix_common.h"
#include "fix/rules/fix_nx3004.h"

namespace nxpool::fix {
namespace {

constexpr std::uint32_t kWin10_2004 = 0x0A000008;  // NTDDI_WIN10_VB

struct PoolBits {
  std::string kind;  // "NX", "NonPagedPool", "Execute", "Paged"
  bool cache_aligned = false;
  bool nx_bit = false;
  bool raise = false;
  bool quota_no_raise = false;
};

// The POOL_TYPE argument as names; nullopt + why for anything else.
std::optional<PoolBits> read_pool_type(const FileTokens& ft, std::pair<std::size_t, std::size_t> r, std::string& why,
                                       std::size_t& nonpaged_tok) {
  PoolBits b;
  auto kind = [&](const char* k, bool ca) {
    if (!b.kind.empty()) return false;
    b.kind = k;
    b.cache_aligned = ca;
    return true;
  };
  for (std::size_t i = r.first; i < r.second; ++i) {
    std::string_view s = ft.spell(i);
    if (s == "(" || s == ")" || s == "|" || s == "POOL_TYPE") continue;
    bool ok = true;
    if (s == "NonPagedPoolNx") ok = kind("NX", false);
    else if (s == "NonPagedPoolNxCacheAligned") ok = kind("NX", true);
    else if (s == "NonPagedPool") ok = kind("NonPagedPool", false), nonpaged_tok = i;
    else if (s == "NonPagedPoolCacheAligned") ok = kind("NonPagedPool", true), nonpaged_tok = i;
    else if (s == "NonPagedPoolExecute") ok = kind("Execute", false);
    else if (s == "PagedPool") ok = kind("Paged", false);
    else if (s == "PagedPoolCacheAligned") ok = kind("Paged", true);
    else if (s == "POOL_NX_ALLOCATION") b.nx_bit = true;
    else if (s == "POOL_RAISE_IF_ALLOCATION_FAILURE") b.raise = true;
    else if (s == "POOL_QUOTA_FAIL_INSTEAD_OF_RAISE") b.quota_no_raise = true;
    else {
      why = "the pool type '" + ft.text_of(r) + "' has no POOL_FLAGS equivalent the fixer knows ('" + std::string(s) +
            "'; must-succeed and session pool have none)";
      return std::nullopt;
    }
    if (!ok) {
      why = "the pool type '" + ft.text_of(r) + "' names two pool kinds";
      return std::nullopt;
    }
  }
  if (b.kind.empty()) {
    why = "the pool type '" + ft.text_of(r) + "' is not a POOL_TYPE name";
    return std::nullopt;
  }
  if (b.nx_bit && b.kind != "Paged") b.kind = "NX";
  return b;
}

// Will NonPagedPool at `tok` be NX pool in every unit reaching the site,
// once this run's fixes are in? Either each unit is AUTO or OPTIN with no
// NX2001 finding on the token, or NX2001's fix runs in this pass and will
// make the token NonPagedPoolNx wherever it is executable: then both edits
// meet on the argument, and the flags written here are the NX ones (the
// NX2001 edit, inside this one, counts as done: fix.cpp).
bool nonpaged_is_nx(const Site& s, std::size_t tok) {
  const lex::Token& t = s.ft.toks[tok];
  const bool nx2001_runs = s.options.strategy == Strategy::Nx && (s.options.rules.empty() || s.options.rules.count("NX2001"));
  std::set<std::string> fixed_units;  // units where NX2001's fix of this token makes it NX
  for (const scan::Finding& f : s.scan.findings) {
    if (f.rule != "NX2001" || f.file != s.findings.front()->file || f.line != t.line || f.column != t.column) continue;
    if (!nx2001_runs || f.mode == scan::NxMode::OptOut || !f.macro.empty()) return false;
    fixed_units.insert(f.unit);
  }
  for (const auto* f : s.findings)
    if (f->mode != scan::NxMode::Auto && f->mode != scan::NxMode::OptIn && !fixed_units.count(f->unit)) return false;
  return true;
}

bool is_c_source(const std::string& path) { return path.size() > 2 && path.compare(path.size() - 2, 2, ".c") == 0; }

FixResult to_pool2(const Site& s, const std::string& name, const FileTokens::Args& args) {
  const FileTokens& ft = s.ft;
  const auto& a = args.ranges;
  bool quota = name == "ExAllocatePoolWithQuotaTag";
  bool priority = name == "ExAllocatePoolWithTagPriority";
  if (a.size() != (priority ? 4u : 3u)) return FixResult::no("the call does not have the expected arguments");
  if (priority && !is_c_source(s.findings.front()->file))
    return FixResult::no("ExAllocatePool3's priority parameter is written as a C compound literal; in C++ or a "
                         "header declare a POOL_EXTENDED_PARAMETER by hand");
  std::string why;
  std::size_t nonpaged_tok = 0;
  auto bits = read_pool_type(ft, a[0], why, nonpaged_tok);
  if (!bits) return FixResult::no(why);
  if (bits->kind == "NonPagedPool") {
    if (!nonpaged_is_nx(s, nonpaged_tok))
      return FixResult::no("'" + std::string(ft.spell(nonpaged_tok)) +
                           "' is executable pool here: let NX2001's fix make it NonPagedPoolNx first (nxpool fix), "
                           "or name NonPagedPoolExecute if the block holds code");
    bits->kind = "NX";
  }
  std::string flags = bits->kind == "NX" ? "POOL_FLAG_NON_PAGED"
                      : bits->kind == "Paged" ? "POOL_FLAG_PAGED"
                                              : "POOL_FLAG_NON_PAGED_EXECUTE";
  if (bits->cache_aligned) flags += " | POOL_FLAG_CACHE_ALIGNED";
  if (quota) flags += " | POOL_FLAG_USE_QUOTA";
  if (bits->raise || (quota && !bits->quota_no_raise)) flags += " | POOL_FLAG_RAISE_ON_FAILURE";
  auto b0 = ft.bytes(a[0]);
  std::vector<Edit> e{replace_token(ft, s.tok, priority ? "ExAllocatePool3" : "ExAllocatePool2", "NX3004"),
                      Edit{b0.first, b0.second - b0.first, flags, "NX3004"}};
  if (priority) {
    auto b3 = ft.bytes(a[3]);
    e.push_back(Edit{b3.first, b3.second - b3.first,
                     "&(POOL_EXTENDED_PARAMETER){.Type = PoolExtendedParameterPriority, .Priority = " +
                         ft.text_of(a[3]) + "}, 1",
                     "NX3004"});
  }
  if (auto z = redundant_zeroing(ft, s.tok, args)) e.push_back(*z);
  return FixResult{e, ""};
}

}  // namespace

FixResult fix_nx3004(const Site& s) {
  std::string name(s.ft.spell(s.tok));
  if (name == "ExAllocatePool" || name == "ExAllocatePoolWithQuota")
    return FixResult::no(name + " has no tag and ExAllocatePool2 needs a non-zero one: choose the tag and rewrite "
                                "the call by hand");
  std::uint32_t lo = 0xFFFFFFFF, hi = 0;
  for (const auto* f : s.findings) {
    lo = std::min(lo, f->ntddi);
    hi = std::max(hi, f->ntddi);
  }
  if (lo == 0)
    return FixResult::no("the Windows version this configuration targets is not known (TargetVersion, "
                         "_NT_TARGET_VERSION or -D NTDDI_VERSION): ExAllocatePool2 exists only from Windows 10 2004");
  if (lo < kWin10_2004 && hi >= kWin10_2004)
    return FixResult::no("the configurations reaching it target Windows versions before and after Windows 10 2004, "
                         "which need different replacements");
  auto args = s.ft.call_args(s.tok);
  if (!args) return FixResult::no("the call's arguments could not be read");
  for (const auto& r : args->ranges)
    if (r.first == r.second) return FixResult::no("the call has an empty argument");
  if (hi >= kWin10_2004) return to_pool2(s, name, *args);
  // Before 2004: the same call under its wrapper's name.
  std::string to = name == "ExAllocatePoolWithTag"        ? "ExAllocatePoolUninitialized"
                   : name == "ExAllocatePoolWithQuotaTag" ? "ExAllocatePoolQuotaUninitialized"
                                                          : "ExAllocatePoolPriorityUninitialized";
  return FixResult{{replace_token(s.ft, s.tok, to, "NX3004")}, ""};
}

}  // namespace nxpool::fix
