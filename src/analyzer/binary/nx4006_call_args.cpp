// NX4006: a call through the import table that passes a constant asking for
// executable memory. The argument values come from call_args.cpp; this
// file knows which argument of which API matters and which values are
// executable (the same facts as the source rules NX2001-NX2005).
// Tested by tests/binary/rules_test.cpp.
#include <string_view>

#include <fmt/format.h>

#include "binary/call_args.h"
#include "binary/pe_rules.h"

namespace nxpool::binary {
namespace {

enum class Kind { PoolType, PoolFlags, Priority, LookasideFlags, Protect };

struct Api {
  std::string_view name;
  int arg;  // 0-based
  Kind kind;
};

constexpr Api kApis[] = {
    {"ExAllocatePool", 0, Kind::PoolType},
    {"ExAllocatePoolWithTag", 0, Kind::PoolType},
    {"ExAllocatePoolWithQuota", 0, Kind::PoolType},
    {"ExAllocatePoolWithQuotaTag", 0, Kind::PoolType},
    {"ExAllocatePoolWithTagPriority", 0, Kind::PoolType},
    {"ExInitializeLookasideListEx", 3, Kind::PoolType},
    {"ExAllocatePool2", 0, Kind::PoolFlags},
    {"ExAllocatePool3", 0, Kind::PoolFlags},
    {"MmMapLockedPagesSpecifyCache", 5, Kind::Priority},
    {"ExInitializeNPagedLookasideList", 3, Kind::LookasideFlags},
    {"MmMapIoSpaceEx", 2, Kind::Protect},
    {"MmAllocateContiguousNodeMemory", 4, Kind::Protect},
};

const Api* api_of(const std::string& name) {
  for (const Api& a : kApis)
    if (a.name == name) return &a;
  return nullptr;
}

constexpr std::uint64_t kNxPoolBit = 0x200;           // NonPagedPoolNx, POOL_NX_ALLOCATION
constexpr std::uint64_t kPoolFlagExecute = 0x80;      // POOL_FLAG_NON_PAGED_EXECUTE
constexpr std::uint64_t kMdlMappingNoExecute = 0x40000000;
constexpr std::uint64_t kPageExecuteAny = 0xf0;       // PAGE_EXECUTE, _READ, _READWRITE, _WRITECOPY

std::string pool_type_name(std::uint32_t t) {
  static const char* base[] = {"NonPagedPool", "PagedPool", "NonPagedPoolMustSucceed", "DontUseThisType",
                               "NonPagedPoolCacheAligned", "PagedPoolCacheAligned", "NonPagedPoolCacheAlignedMustS"};
  std::uint32_t b = t & ~32u;
  std::string n = b < 7 ? base[b] : fmt::format("pool type {}", t);
  if (t & 32u) n += " (session)";
  if (t == 0) n = "NonPagedPool / NonPagedPoolExecute";
  return n;
}

// The argument's meaning when it asks for executable memory, else "".
std::string executable_request(Kind k, std::uint64_t v) {
  switch (k) {
    case Kind::PoolType: {
      auto t = static_cast<std::uint32_t>(v);
      if ((t & kNxPoolBit) == 0 && (t & 1) == 0) return fmt::format("pool type {} ({})", t, pool_type_name(t));
      return "";
    }
    case Kind::PoolFlags:
      if (v & kPoolFlagExecute) return fmt::format("pool flags {:#x} (POOL_FLAG_NON_PAGED_EXECUTE)", v);
      return "";
    case Kind::Priority:
      if ((v & kMdlMappingNoExecute) == 0)
        return fmt::format("priority {:#x} (no MdlMappingNoExecute)", static_cast<std::uint32_t>(v));
      return "";
    case Kind::LookasideFlags:
      if ((v & kNxPoolBit) == 0)
        return fmt::format("flags {:#x} (no POOL_NX_ALLOCATION)", static_cast<std::uint32_t>(v));
      return "";
    case Kind::Protect:
      if (v & kPageExecuteAny) return fmt::format("protection {:#x} (PAGE_EXECUTE*)", static_cast<std::uint32_t>(v));
      return "";
  }
  return "";
}

}  // namespace

void check_calls(const PeImage& img, std::span<const std::uint8_t> data, Emitter& emit) {
  bool any = false;
  for (const Import& i : img.imports) any = any || api_of(i.name);
  if (!any) return;  // nothing to look for: skip the disassembly
  find_import_calls(
      img, data, [](const Import& i) { return api_of(i.name) != nullptr; },
      [&](const ImportCall& c) {
        const Import& imp = img.imports[c.import];
        const Api& api = *api_of(imp.name);
        const ArgValue& a = c.args[api.arg];
        if (!a.known) return;
        std::string what = executable_request(api.kind, a.value);
        if (what.empty()) return;
        std::string fn = img.function_at(c.rva);
        std::int64_t off = img.offset_of(c.rva);
        emit("NX4006", off < 0 ? 0 : static_cast<std::uint64_t>(off),
             fmt::format("{} called at RVA {:#x}{} with {}: executable memory", imp.name, c.rva,
                         fn.empty() ? std::string() : " in " + fn, what));
      });
}

}  // namespace nxpool::binary
