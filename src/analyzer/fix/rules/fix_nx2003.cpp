// Fix for NX2003 (docs/rules/NX2003.md "Fix"): the executable-only APIs
// become their protection-taking successors, with PAGE_READWRITE:
//   MmMapIoSpace(pa, n, cache)
//     -> MmMapIoSpaceEx(pa, n, PAGE_READWRITE [| PAGE_NOCACHE | PAGE_WRITECOMBINE])
//   MmAllocateContiguousMemory(n, high)
//     -> MmAllocateContiguousNodeMemory(n, 0, high, 0, PAGE_READWRITE, MM_ANY_NODE_OK)
//   MmAllocateContiguousMemorySpecifyCache(n, low, high, boundary, MmCached)
//     -> MmAllocateContiguousNodeMemory(n, low, high, boundary, PAGE_READWRITE, MM_ANY_NODE_OK)
//   MmAllocateContiguousMemorySpecifyCacheNode(..., MmCached, node)
//     -> MmAllocateContiguousNodeMemory(..., PAGE_READWRITE, node)
// A zero PHYSICAL_ADDRESS (a union) is `(PHYSICAL_ADDRESS){0}` in C and
// `PHYSICAL_ADDRESS{}` in C++, so that rewrite is made only in .c and C++
// sources, never in a header whose language is not known. Every argument's
// own text and the whitespace between arguments are kept.
// Tested by tests/fix/fix_rules_test.cpp.
#include "fix/rules/fix_common.h"

namespace nxpool::fix {
namespace {

bool ends_with(const std::string& s, const char* suffix) {
  std::string x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

// The protection for a MEMORY_CACHING_TYPE argument, or "" when unknown.
std::string protection(const FileTokens& ft, std::pair<std::size_t, std::size_t> r) {
  if (r.second != r.first + 1) return "";
  std::string_view c = ft.spell(r.first);
  if (c == "MmNonCached") return "PAGE_READWRITE | PAGE_NOCACHE";
  if (c == "MmWriteCombined") return "PAGE_READWRITE | PAGE_WRITECOMBINE";
  if (c == "MmCached") return "PAGE_READWRITE";
  return "";
}

}  // namespace

FixResult fix_nx2003(const Site& s) {
  if (s.any_mode(scan::NxMode::OptOut)) return FixResult::no(kOptedOutReason);
  const FileTokens& ft = s.ft;
  std::string name(ft.spell(s.tok));
  auto args = ft.call_args(s.tok);
  if (!args) return FixResult::no("the call's arguments could not be read");
  const auto& a = args->ranges;
  for (const auto& r : a)
    if (r.first == r.second) return FixResult::no("the call has an empty argument");
  std::vector<Edit> e;
  if (name == "MmMapIoSpace" && a.size() == 3) {
    std::string prot = protection(ft, a[2]);
    if (prot.empty()) return FixResult::no("the caching type is not a MEMORY_CACHING_TYPE constant");
    e.push_back(replace_token(ft, s.tok, "MmMapIoSpaceEx", "NX2003"));
    e.push_back(replace_token(ft, a[2].first, prot, "NX2003"));
    return FixResult{e, ""};
  }
  if (name == "MmAllocateContiguousMemory" && a.size() == 2) {
    const std::string& path = s.findings.front()->file;
    std::string zero = ends_with(path, ".c") ? "(PHYSICAL_ADDRESS){0}"
                       : (ends_with(path, ".cpp") || ends_with(path, ".cc") || ends_with(path, ".cxx"))
                           ? "PHYSICAL_ADDRESS{}"
                           : "";
    if (zero.empty()) return FixResult::no("in a header: a zero PHYSICAL_ADDRESS is spelled differently in C and C++");
    e.push_back(replace_token(ft, s.tok, "MmAllocateContiguousNodeMemory", "NX2003"));
    e.push_back(Edit{ft.toks[a[1].first].offset, 0, zero + ", ", "NX2003"});
    e.push_back(Edit{ft.bytes(a[1]).second, 0, ", " + zero + ", PAGE_READWRITE, MM_ANY_NODE_OK", "NX2003"});
    return FixResult{e, ""};
  }
  bool node = name == "MmAllocateContiguousMemorySpecifyCacheNode";
  if ((name == "MmAllocateContiguousMemorySpecifyCache" && a.size() == 5) || (node && a.size() == 6)) {
    auto b = ft.bytes(a[4]);
    e.push_back(replace_token(ft, s.tok, "MmAllocateContiguousNodeMemory", "NX2003"));
    e.push_back(Edit{b.first, b.second - b.first, node ? "PAGE_READWRITE" : "PAGE_READWRITE, MM_ANY_NODE_OK", "NX2003"});
    return FixResult{e, ""};
  }
  return FixResult::no("no mechanical fix for " + name);
}

}  // namespace nxpool::fix
