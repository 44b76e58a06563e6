// NX2002: an explicit request for executable memory (docs/mechanism.md §5.1, §5.3, §6):
// NonPagedPoolExecute, POOL_FLAG_NON_PAGED_EXECUTE, PAGE_EXECUTE*. A note by
// default because it is deliberate; --hvci makes it an error. PAGE_EXECUTE*
// given to a call on a process's user address space (ZwAllocateVirtualMemory
// and the like) stays a note that says so, --hvci or not.
// Tested by cases/nx2002_*.c.
#include "rules/helpers.h"
#include "rules/rules.h"

namespace nxpool::rules {
namespace {

// The name of the innermost call whose parentheses hold token `idx`, or "".
std::string_view enclosing_call(const RuleContext& ctx, std::uint32_t idx) {
  int depth = 0;
  for (std::uint32_t i = idx; i-- > 0;) {
    const pp::PToken& t = ctx.tok(i);
    if (t.is(")")) ++depth;
    else if (t.is("(") && depth-- == 0) return i > 0 && ctx.tok(i - 1).is_ident() ? ctx.tok(i - 1).text : "";
    else if (t.is(";") || t.is("{") || t.is("}")) return "";
  }
  return "";
}

// Calls that allocate or protect memory in a process's user address space
// (issue 9 item 2): executable there is not what memory integrity refuses.
bool user_address_space_call(std::string_view name) {
  for (std::string_view api : {"ZwAllocateVirtualMemory", "NtAllocateVirtualMemory", "ZwAllocateVirtualMemoryEx",
                               "NtAllocateVirtualMemoryEx", "ZwProtectVirtualMemory", "NtProtectVirtualMemory",
                               "ZwMapViewOfSection", "NtMapViewOfSection", "ZwMapViewOfSectionEx"})
    if (name == api) return true;
  return false;
}

}  // namespace

void check_nx2002(RuleContext& ctx) {
  for (const scan::Site& s : ctx.cs.sites) {
    if (s.word != scan::Word::NonPagedPoolExecute && s.word != scan::Word::PoolFlagNonPagedExecute &&
        s.word != scan::Word::PageExecute)
      continue;
    if (!value_use(s)) continue;
    if (s.word == scan::Word::NonPagedPoolExecute && in_pool2_flags(ctx, s.idx)) continue;  // NX3001
    std::string_view call = s.word == scan::Word::PageExecute ? enclosing_call(ctx, s.idx) : "";
    if (user_address_space_call(call)) {
      scan::Finding f = ctx.at_token("NX2002", s.idx,
                                     "'" + word_text(ctx, s.idx) + "' makes user address-space memory executable (" +
                                         std::string(call) + "): executable, but not kernel memory, which is what "
                                         "memory integrity (HVCI) refuses");
      f.severity = model::Severity::Note;  // also under --hvci
      ctx.report(std::move(f));
      continue;
    }
    ctx.report(ctx.at_token("NX2002", s.idx,
                            "'" + word_text(ctx, s.idx) +
                                "' explicitly requests executable memory, which memory integrity (HVCI) refuses"));
  }
}

}  // namespace nxpool::rules
